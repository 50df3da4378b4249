import { describe, expect, it } from 'vitest';
import type { Poll } from '../../../src/domain/poll.ts';
import { blocksToText } from '../../../src/reply.ts';
import { pollSection } from '../../../src/polls/poll-results.ts';

const now = new Date('2026-12-02T17:00:00Z');
let count = 0;
function poll(kind: Poll['kind'], scores: number[], extra: Partial<Poll> = {}): Poll {
  count++;
  const at = new Date(Date.UTC(2026, 10, count)).toISOString();
  return {
    id: `pol_${count}`, customerId: 'cus_acme', kind, via: 'gmail', contactId: 'con_jane', email: 'jane@acme.com', channelId: null, caseId: null,
    askedBy: 'U0ANA00001', status: 'sent', sendAt: at, sentAt: at, expiresAt: '2027-01-01T00:00:00Z', error: null, createdAt: at,
    answers: scores.map((score, i) => ({ respondent: `person${i}@acme.com`, score, comment: null, answeredAt: at, updatedAt: at })),
    ...extra,
  };
}
const section = (polls: Poll[]) => blocksToText(pollSection(polls, 'UTC', now));

describe('the card\'s satisfaction section', () => {
  it('is absent for a customer never polled', () => {
    expect(pollSection([], 'UTC', now)).toEqual([]);
  });

  it('computes NPS as promoters minus detractors over every answer, and CSAT as the share of 4s and 5s', () => {
    const text = section([poll('nps', [10, 9, 8, 6, 3]), poll('nps', [9, 7, 0]), poll('csat', [5, 4, 2])]);
    // 3 promoters, 3 detractors of 8: 0; CSAT 2 of 3.
    expect(text).toContain('NPS 0: 3 promoters (9–10) minus 3 detractors (0–6), of 8 answers.');
    expect(text).toContain('CSAT 67%: 2 of 3 answers were 4 or 5 (on 1 to 5).');
    expect(section([poll('nps', [10, 9, 2])])).toContain('NPS +33:');
  });

  it('draws each answered poll\'s average as one bar of the trend, oldest first', () => {
    const text = section([poll('nps', [0]), poll('nps', [5, 5]), poll('nps', [10, 9]), poll('nps', [])]);
    expect(text).toContain('NPS trend ▁▅█: the average score of each of the last 3 answered polls, oldest first.');
    expect(text).toContain('1 of 4 polls sent have no answer yet.');
  });

  it('says when nothing is answered yet, and what is still waiting', () => {
    const text = section([poll('csat', []), poll('csat', [], { status: 'scheduled', sendAt: '2026-12-03T08:00:00Z', sentAt: null })]);
    expect(text).toContain('No answers yet to 1 poll sent.');
    expect(text).toContain('A CSAT poll to jane@acme.com goes Thu 3 Dec, 08:00 (their preferred hours).');
  });
});
