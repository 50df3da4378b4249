import { z } from 'zod';
import { emailAddress, instant } from './fields.ts';

/** CSAT asks for 1 to 5, NPS for 0 to 10. */
export const pollKinds = ['csat', 'nps'] as const;
export type PollKind = (typeof pollKinds)[number];

/** One person's answer; a later click by the same person replaces the score. */
export const pollAnswerSchema = z.object({
  /** Who answered: the contact's address for a mailed poll, a Slack user id in a channel. */
  respondent: z.string().min(1),
  score: z.number().int().min(0).max(10),
  comment: z.string().trim().min(1).nullable(),
  answeredAt: instant,
  /** When the score or the comment last changed. */
  updatedAt: instant,
});

export type PollAnswer = z.infer<typeof pollAnswerSchema>;

export const pollSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  kind: z.enum(pollKinds),
  /** How it reaches the customer: from the asker's own mailbox, or as buttons in a linked Slack channel. */
  via: z.enum(['gmail', 'outlook', 'slack']),
  /** The contact a mailed poll goes to; null for a channel poll. */
  contactId: z.string().nullable(),
  email: emailAddress.nullable(),
  /** The linked channel a Slack poll is posted in; null for a mailed poll. */
  channelId: z.string().nullable(),
  /** The case whose closing it follows, if any. */
  caseId: z.string().nullable(),
  askedBy: z.string().min(1),
  /** `scheduled` waits for `sendAt` (the contact's preferred hours); `failed` says why in `error`. */
  status: z.enum(['scheduled', 'sent', 'failed']),
  sendAt: instant,
  sentAt: instant.nullable(),
  /** Answer links stop working at this instant. */
  expiresAt: instant,
  answers: z.array(pollAnswerSchema),
  error: z.string().nullable(),
  createdAt: instant,
});

export type Poll = z.infer<typeof pollSchema>;

/** The latest change to any answer of a poll, or null if none. */
export function lastAnsweredAt(poll: Poll): string | null {
  let latest: string | null = null;
  for (const answer of poll.answers) if (latest === null || answer.updatedAt > latest) latest = answer.updatedAt;
  return latest;
}
