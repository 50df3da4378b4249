/**
 * How well `needle` matches the best of `haystacks`: 0 exact, 1 prefix,
 * 2 substring, null not at all. Both sides are expected lower-cased.
 */
export function rankMatch(needle: string, haystacks: readonly string[]): number | null {
  let best: number | null = null;
  for (const haystack of haystacks) {
    const rank = haystack === needle ? 0 : haystack.startsWith(needle) ? 1 : haystack.includes(needle) ? 2 : null;
    if (rank !== null && (best === null || rank < best)) best = rank;
  }
  return best;
}
