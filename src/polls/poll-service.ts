import type { Poll } from '../domain/poll.ts';
import type { Reply } from '../reply.ts';
import { textReply } from '../reply.ts';
import { askPoll, type AskPoll } from './ask-poll.ts';
import type { PollDeps } from './poll-deps.ts';
import type { ReadLink } from './poll-links.ts';
import { recordComment, recordScore, type AnswerOutcome } from './record-answer.ts';
import { sendPoll } from './send-poll.ts';

/** Everything polls, for the commands, the answer page, Slack's buttons and the minute job. */
export interface PollService {
  ask(ask: AskPoll): Promise<Reply>;
  /** Sends the scheduled polls whose time has come (the contact's preferred hours began). */
  sendDue(): Promise<void>;
  get(pollId: string): Promise<Poll | null>;
  /** An answer link's token, checked; null when this guanxi makes no links (no ENCRYPTION_KEY). */
  readLink(token: string): ReadLink | null;
  score(pollId: string, respondent: string, score: number): Promise<AnswerOutcome>;
  /** A comment on the respondent's answer; refused as `unknown` when they have not answered. */
  comment(pollId: string, respondent: string, comment: string): Promise<AnswerOutcome>;
}

export function createPollService(deps: PollDeps): PollService {
  return {
    ask: (ask) => askPoll(deps, ask),
    async sendDue() {
      for (const poll of await deps.store.polls.due(deps.clock.now())) {
        const sent = await sendPoll(deps, poll);
        // The asker was told "it goes at 9:00"; if it could not, they hear why.
        if (sent.status === 'failed') {
          const who = sent.email ?? `<#${sent.channelId}>`;
          await deps.notifier?.direct(sent.askedBy, textReply(`Your scheduled poll to ${who} was not sent: ${sent.error}`)).catch((error: unknown) => deps.log.error(`could not tell ${sent.askedBy} that poll ${sent.id} failed`, error));
        }
      }
    },
    get: (pollId) => deps.store.polls.get(pollId),
    readLink: (token) => deps.links?.read(token, deps.clock.now()) ?? null,
    score: (pollId, respondent, score) => recordScore(deps, pollId, respondent, score),
    comment: (pollId, respondent, comment) => recordComment(deps, pollId, respondent, comment),
  };
}
