/**
 * Calls `each` with the hashes of every spelling of `word` with one character deleted, and of the
 * word itself: two words one edit apart (an insertion, a deletion, a
 * substitution, or a swap of neighbours) share one of these ("symmetric
 * deletion"), so grouping by them finds every such pair without comparing
 * all pairs. Numbers rather than strings, so that a hundred thousand names
 * make no garbage; a collision only costs one comparison more.
 */
export function oneDeletionHashes(word: string, each: (hash: number) => void): void {
  const n = word.length;
  // suffix[i]: the polynomial hash of word[i..n), as the tail of a string of length n - 1.
  const suffix = new Array<number>(n + 1).fill(0);
  let power = 1;
  for (let i = n - 1; i >= 0; i--) {
    suffix[i] = (suffix[i + 1]! + Math.imul(word.charCodeAt(i), power)) >>> 0;
    power = Math.imul(power, base) >>> 0;
  }
  each(mix(suffix[0]!, n));
  let prefix = 0;
  for (let i = 0; i < n; i++) {
    // word[0..i) shifted past the n - 1 - i characters after the deleted one.
    each(mix((Math.imul(prefix, powerOf(n - 1 - i)) + suffix[i + 1]!) >>> 0, n - 1));
    prefix = (Math.imul(prefix, base) + word.charCodeAt(i)) >>> 0;
  }
}

const base = 0x01000193;
const powers: number[] = [1];

function powerOf(exponent: number): number {
  while (powers.length <= exponent) powers.push(Math.imul(powers.at(-1)!, base) >>> 0);
  return powers[exponent]!;
}

/** The hash with the length folded in, spread over 32 bits. */
function mix(hash: number, length: number): number {
  let x = (hash ^ Math.imul(length, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}
