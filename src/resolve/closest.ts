/**
 * "Did you mean": the candidates whose name is closest to what was typed, by
 * edit distance (with transpositions, the commonest typo) relative to length.
 */
export function closest<T>(typed: string, candidates: readonly T[], nameOf: (candidate: T) => string[], limit = 3): T[] {
  const query = normalise(typed);
  if (!query) return [];
  const scored: { candidate: T; score: number }[] = [];
  for (const candidate of candidates) {
    let best = Infinity;
    for (const name of nameOf(candidate)) {
      const target = normalise(name);
      if (!target || Math.abs(target.length - query.length) > Math.max(2, query.length / 2)) continue;
      best = Math.min(best, editDistance(query, target) / Math.max(query.length, target.length));
    }
    // More than a third of the letters wrong is no longer a typo.
    if (best <= 0.34) scored.push({ candidate, score: best });
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((s) => s.candidate);
}

export function normalise(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}
