import { editDistance } from '../resolve/edit-distance.ts';

/** The candidate a typo most likely meant (`fnd` → find, `remnid` → remind), or null if none is close. */
export function closest<T extends string>(word: string, candidates: readonly T[]): T | null {
  const allowed = word.length <= 4 ? 1 : 2;
  let best: T | null = null;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    // A beginning such as `rem` is as good as one typo.
    const distance = word.length >= 3 && candidate.startsWith(word) ? 1 : editDistance(word, candidate, allowed);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
