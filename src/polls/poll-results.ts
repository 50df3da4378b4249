import type { Poll, PollKind } from '../domain/poll.ts';
import { sparkline } from '../insights/sparkline.ts';
import type { Block } from '../reply.ts';
import { formatInZone } from '../time/zoned.ts';
import { pollScales } from './poll-scales.ts';

/** Polls the trend shows, the most recent answered ones. */
const trendLength = 10;
const commentsShown = 3;

/** A share as a whole percentage. */
const percent = (part: number, whole: number) => Math.round((part / whole) * 100);

/**
 * The card's satisfaction section, computed from the stored answers alone
 * (CRM-CONCEPTS.md section 4), each figure saying how it was computed and over
 * how many answers: CSAT, NPS, the trend of recent polls, the latest comments.
 * Empty when the customer was never polled.
 */
export function pollSection(polls: Poll[], tz: string, now: Date): Block[] {
  if (polls.length === 0) return [];
  const items: string[] = [];
  for (const kind of ['csat', 'nps'] as const) {
    const ofKind = polls.filter((p) => p.kind === kind);
    const scores = ofKind.flatMap((p) => p.answers.map((a) => a.score));
    if (scores.length === 0) continue;
    items.push(kind === 'csat' ? csatLine(scores) : npsLine(scores));
    const trend = trendLine(kind, ofKind);
    if (trend) items.push(trend);
  }
  const waiting = polls.filter((p) => p.status === 'scheduled');
  const sent = polls.filter((p) => p.status === 'sent');
  const unanswered = sent.filter((p) => p.answers.length === 0).length;
  if (items.length === 0) items.push(`No answers yet to ${sent.length} poll${sent.length === 1 ? '' : 's'} sent.`);
  else if (unanswered > 0) items.push(`${unanswered} of ${sent.length} polls sent have no answer yet.`);
  for (const poll of waiting) items.push(`A ${poll.kind.toUpperCase()} poll to ${poll.email ?? 'the linked channel'} goes ${formatInZone(new Date(poll.sendAt), tz, now)} (their preferred hours).`);
  for (const poll of polls.filter((p) => p.status === 'failed').slice(0, 1)) items.push(`Last failed poll (${poll.email ?? 'channel'}): ${poll.error}`);
  const comments = polls
    .flatMap((poll) => poll.answers.filter((a) => a.comment).map((answer) => ({ poll, answer })))
    .sort((a, b) => (a.answer.updatedAt < b.answer.updatedAt ? 1 : -1))
    .slice(0, commentsShown)
    .map(({ poll, answer }) => `“${answer.comment}” (${poll.kind.toUpperCase()} ${answer.score}, ${poll.via === 'slack' ? 'in Slack' : answer.respondent}, ${formatInZone(new Date(answer.updatedAt), tz, now)})`);
  const blocks: Block[] = [{ type: 'list', title: 'Satisfaction', items }];
  if (comments.length > 0) blocks.push({ type: 'list', title: 'Latest comments', items: comments });
  return blocks;
}

/** CSAT: the share of 4s and 5s among all CSAT answers. */
function csatLine(scores: number[]): string {
  const satisfied = scores.filter((s) => s >= 4).length;
  return `CSAT ${percent(satisfied, scores.length)}%: ${satisfied} of ${scores.length} answers were 4 or 5 (on 1 to 5).`;
}

/** NPS: promoters (9-10) minus detractors (0-6), as a share of all NPS answers, from -100 to +100. */
function npsLine(scores: number[]): string {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const nps = percent(promoters - detractors, scores.length);
  return `NPS ${nps > 0 ? '+' : ''}${nps}: ${promoters} promoter${promoters === 1 ? '' : 's'} (9–10) minus ${detractors} detractor${detractors === 1 ? '' : 's'} (0–6), of ${scores.length} answers.`;
}

/** One bar per answered poll, oldest first: the poll's average score on its own scale. */
function trendLine(kind: PollKind, polls: Poll[]): string | null {
  const answered = polls.filter((p) => p.answers.length > 0).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)).slice(-trendLength);
  if (answered.length < 2) return null;
  const line = sparkline(
    answered.map((poll) => poll.answers.reduce((sum, a) => sum + a.score, 0) / poll.answers.length),
    pollScales[kind],
  );
  return `${kind.toUpperCase()} trend ${line}: the average score of each of the last ${answered.length} answered polls, oldest first.`;
}
