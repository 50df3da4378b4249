import type { PollKind } from '../domain/poll.ts';

/** The scores each kind of poll asks for, and what it asks (CRM-CONCEPTS.md section 4). */
export const pollScales: Record<PollKind, { min: number; max: number; question: string; low: string; high: string }> = {
  csat: { min: 1, max: 5, question: 'How satisfied are you with us?', low: 'very unsatisfied', high: 'very satisfied' },
  nps: { min: 0, max: 10, question: 'How likely are you to recommend us to a friend or colleague?', low: 'not at all likely', high: 'extremely likely' },
};

export function scoresOf(kind: PollKind): number[] {
  const { min, max } = pollScales[kind];
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

export function inRange(kind: PollKind, score: number): boolean {
  const { min, max } = pollScales[kind];
  return Number.isInteger(score) && score >= min && score <= max;
}
