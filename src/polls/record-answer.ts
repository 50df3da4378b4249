import type { Poll, PollAnswer } from '../domain/poll.ts';
import { isDetractor } from '../insights/facts.ts';
import { replyOf, type Block } from '../reply.ts';
import { formatInZone } from '../time/zoned.ts';
import type { PollDeps } from './poll-deps.ts';
import { inRange, pollScales } from './poll-scales.ts';

export type AnswerRefusal =
  | { ok: false; why: 'unknown' }
  | { ok: false; why: 'closed'; closedAt: Date }
  | { ok: false; why: 'out_of_range'; poll: Poll };

export type AnswerOutcome = { ok: true; poll: Poll; answer: PollAnswer } | AnswerRefusal;

/** Comments are kept to this length; the page says so. */
export const commentMax = 2000;

/**
 * One person's score on a poll: the first click records it, a later one
 * changes it. A detractor's score (NPS 0 to 6, CSAT 1 or 2) is told at once,
 * by DM, to the customer's owner, or to whoever asked when it has none.
 */
export async function recordScore(deps: PollDeps, pollId: string, respondent: string, score: number): Promise<AnswerOutcome> {
  return changeAnswer(deps, pollId, respondent, (poll, previous, now) => {
    if (!inRange(poll.kind, score)) return { ok: false, why: 'out_of_range', poll };
    return { ok: true, answer: { respondent, score, comment: previous?.comment ?? null, answeredAt: previous?.answeredAt ?? now, updatedAt: now }, alert: isDetractor(poll, score) && previous?.score !== score };
  });
}

/** A comment on an answer already given (the thank-you page's form); a later one replaces it. */
export async function recordComment(deps: PollDeps, pollId: string, respondent: string, comment: string): Promise<AnswerOutcome> {
  return changeAnswer(deps, pollId, respondent, (poll, previous, now) => {
    if (!previous) return { ok: false, why: 'unknown' };
    const text = comment.trim().slice(0, commentMax);
    return { ok: true, answer: { ...previous, comment: text || null, updatedAt: now }, alert: isDetractor(poll, previous.score) && text !== '' && text !== previous.comment };
  });
}

type Change = (poll: Poll, previous: PollAnswer | undefined, now: string) => { ok: true; answer: PollAnswer; alert: boolean } | AnswerRefusal;

/** Reads, changes and writes the poll's answers in one step of the store, so two answers at once (on two instances too) both count. */
async function changeAnswer(deps: PollDeps, pollId: string, respondent: string, change: Change): Promise<AnswerOutcome> {
  const now = deps.clock.now();
  // What `change` made of the poll as the store had it, kept for after the write.
  const decided: { outcome: ReturnType<Change> } = { outcome: { ok: false, why: 'unknown' } };
  const written = await deps.store.polls.amend(pollId, (poll) => {
    decided.outcome = decide(poll, respondent, now, change);
    return decided.outcome.ok ? { ...poll, answers: [...poll.answers.filter((a) => a.respondent !== respondent), decided.outcome.answer] } : null;
  });
  const { outcome } = decided;
  if (!outcome.ok) return outcome;
  if (!written) return { ok: false, why: 'unknown' };
  if (outcome.alert) await alertDetractor(deps, written, outcome.answer);
  return { ok: true, poll: written, answer: outcome.answer };
}

function decide(poll: Poll, respondent: string, now: Date, change: Change): ReturnType<Change> {
  // A mailed poll is answered by the person it went to; once they are forgotten, their old link counts for no one.
  if (poll.status !== 'sent' || (poll.via !== 'slack' && poll.email !== respondent)) return { ok: false, why: 'unknown' };
  if (Date.parse(poll.expiresAt) <= now.getTime()) return { ok: false, why: 'closed', closedAt: new Date(poll.expiresAt) };
  return change(poll, poll.answers.find((a) => a.respondent === respondent), now.toISOString());
}

/** The DM about a detractor's answer: who, what score, their words, and the way to the card. */
async function alertDetractor(deps: PollDeps, poll: Poll, answer: PollAnswer): Promise<void> {
  if (!deps.notifier) return;
  const customer = await deps.store.customers.get(poll.customerId);
  const to = customer?.ownerId ?? poll.askedBy;
  const contact = poll.contactId ? await deps.store.contacts.get(poll.contactId) : null;
  const who = poll.via === 'slack' ? `Someone in <#${poll.channelId}>` : contact?.name ? `${contact.name} <${poll.email}>` : poll.email!;
  const member = await deps.store.members.get(to);
  const asked = formatInZone(new Date(poll.sentAt ?? poll.createdAt), member?.tz ?? deps.defaultTimeZone, deps.clock.now());
  const scale = pollScales[poll.kind];
  const name = customer?.name ?? 'a removed customer';
  const blocks: Block[] = [
    { type: 'text', text: `*${name}*: ${who} answered *${answer.score}* out of ${scale.max} to the ${poll.kind === 'nps' ? 'NPS' : 'CSAT'} poll of ${asked}. That is a detractor's answer (${poll.kind === 'nps' ? 'NPS 0 to 6' : 'CSAT 1 or 2'}): worth a call today.` },
  ];
  if (answer.comment) blocks.push({ type: 'text', text: `Their comment: “${answer.comment}”` });
  // The card opens beside the alert, which stays.
  if (customer) blocks.push({ type: 'actions', actions: [{ id: 'view_customer', label: `Open ${customer.name}`, value: customer.id, style: 'primary' }] });
  blocks.push({ type: 'context', text: `Card: /crm find ${name} · poll ${poll.id}` });
  try {
    const reached = await deps.notifier.direct(to, replyOf(blocks));
    if (!reached) deps.log.warn(`a detractor's answer on poll ${poll.id} could not be told to ${to}, who cannot get a Slack DM; it shows on the card`);
  } catch (error) {
    deps.log.error(`a detractor's answer on poll ${poll.id} could not be told to ${to}; it shows on the card`, error);
  }
}
