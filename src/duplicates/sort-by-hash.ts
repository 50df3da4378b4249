import { breathe } from '../breathe.ts';

/** Entries sorted between turns of the event loop: a few milliseconds' work. */
const entriesPerTurn = 200_000;

/**
 * Sorts `items` by `hashes` (both the same length, item k has hash k) with a
 * radix sort, 16 bits a pass: linear, where a comparison sort of a million
 * and a half entries takes several times as long. Returns new arrays; ties
 * keep their order. Other requests get through between slices of the work.
 */
export async function sortByHash(hashes: Uint32Array, items: Uint32Array): Promise<{ hashes: Uint32Array; items: Uint32Array }> {
  const low = await byDigit({ hashes, items }, 0);
  return byDigit(low, 16);
}

/** One stable counting-sort pass on the 16 bits of each hash from `shift`. */
async function byDigit(from: { hashes: Uint32Array; items: Uint32Array }, shift: number): Promise<{ hashes: Uint32Array; items: Uint32Array }> {
  const to = { hashes: new Uint32Array(from.hashes.length), items: new Uint32Array(from.items.length) };
  const starts = new Uint32Array(65_537);
  for (let k = 0; k < from.hashes.length; k++) {
    if (k % entriesPerTurn === entriesPerTurn - 1) await breathe();
    starts[((from.hashes[k]! >>> shift) & 0xffff) + 1]!++;
  }
  for (let digit = 1; digit < starts.length; digit++) starts[digit]! += starts[digit - 1]!;
  for (let k = 0; k < from.hashes.length; k++) {
    if (k % entriesPerTurn === entriesPerTurn - 1) await breathe();
    const at = starts[(from.hashes[k]! >>> shift) & 0xffff]!++;
    to.hashes[at] = from.hashes[k]!;
    to.items[at] = from.items[k]!;
  }
  return to;
}
