import { breathe } from '../breathe.ts';
import { editDistance } from './edit-distance.ts';

/** More than a third of the letters wrong is no longer a typo. */
const typoShare = 0.34;
/** Candidates looked at between turns of the event loop: a few milliseconds' work. */
const candidatesPerTurn = 5_000;

/**
 * "Did you mean": the candidates whose name is closest to what was typed, by
 * edit distance (with transpositions, the commonest typo) relative to length.
 * A hundred thousand customers take a few tenths of a second, in slices that
 * let other requests through.
 */
export async function closest<T>(typed: string, candidates: Iterable<T>, nameOf: (candidate: T) => string[], limit = 3): Promise<T[]> {
  const query = normalise(typed);
  if (!query) return [];
  const lengthSlack = Math.max(2, query.length / 2);
  const letters = letterCounts(query);
  const work = new Int16Array(letters.length);
  const scored: { candidate: T; score: number; spelling: string }[] = [];
  let seen = 0;
  for (const candidate of candidates) {
    if (++seen % candidatesPerTurn === 0) await breathe();
    let best = Infinity;
    let spelling = '';
    for (const name of nameOf(candidate)) {
      const target = normalise(name);
      if (!target || Math.abs(target.length - query.length) > lengthSlack) continue;
      const longer = Math.max(query.length, target.length);
      const allowed = Math.floor(typoShare * longer);
      if (longer - sharedLetters(letters, work, target) > allowed) continue;
      const distance = editDistance(query, target, allowed);
      if (distance / longer < best) {
        best = distance / longer;
        spelling = target;
      }
    }
    if (best <= typoShare) scored.push({ candidate, score: best, spelling });
  }
  // Equally close ones in the order of the spelling that came close.
  scored.sort((a, b) => a.score - b.score || (a.spelling < b.spelling ? -1 : a.spelling > b.spelling ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/** The letters of `text` counted by character code, folded into 128 buckets. */
function letterCounts(text: string): Int16Array {
  const counts = new Int16Array(128);
  for (let i = 0; i < text.length; i++) counts[text.charCodeAt(i) & 127]!++;
  return counts;
}

/**
 * How many letters `target` has in common with the typed text, as many times
 * as each occurs in both: a name missing more than the limit of them is more
 * than the limit of edits away (an edit brings in at most one missing
 * letter, a swap none), so its distance need not be measured. Letters that
 * share a bucket count as shared, which only makes the test let more through.
 */
function sharedLetters(counts: Int16Array, work: Int16Array, target: string): number {
  work.set(counts);
  let shared = 0;
  for (let i = 0; i < target.length; i++) if (work[target.charCodeAt(i) & 127]!-- > 0) shared++;
  return shared;
}

/** Plain lower-case words and digits, one space apart: most names already are, once lower-cased. */
const plain = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

function normalise(text: string): string {
  const lower = text.toLowerCase();
  if (plain.test(lower)) return lower;
  return lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
