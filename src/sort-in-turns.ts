import { breathe } from './breathe.ts';

/**
 * Sorts `items` stably into a new array like Array.prototype.sort, in turns
 * of about `perTurn` elements' work, so that a hundred thousand of them with a
 * costly comparison (a collator's) do not hold up every other request: runs
 * are sorted one at a time, then merged pairwise.
 */
export async function sortInTurns<T>(items: readonly T[], compare: (a: T, b: T) => number, perTurn = 10_000): Promise<T[]> {
  let runs: T[][] = [];
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await breathe();
    runs.push(items.slice(start, start + perTurn).sort(compare));
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) merged.push(r + 1 < runs.length ? await merge(runs[r]!, runs[r + 1]!, compare, perTurn) : runs[r]!);
    runs = merged;
  }
  return runs[0] ?? [];
}

/** `a` and `b`, each sorted, as one; on a tie, `a`'s first, which keeps the sort stable. */
async function merge<T>(a: T[], b: T[], compare: (a: T, b: T) => number, perTurn: number): Promise<T[]> {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (out.length % perTurn === perTurn - 1) await breathe();
    out.push(compare(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!);
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
