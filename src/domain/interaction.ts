import { z } from 'zod';
import { emailAddress, instant } from './fields.ts';

export const interactionKinds = ['call', 'meeting', 'note', 'message', 'email', 'owner_change'] as const;
/** The kinds a rep can log by hand with `/crm log`. */
export const loggableKinds = ['call', 'meeting', 'note'] as const;

/** Why an interaction is on a customer's timeline; the card shows it. */
export const linkReasons = ['manual', 'exact_address', 'domain', 'channel'] as const;

/** Where a logged message came from: enough to find it again, never its body. */
export const messageSourceSchema = z.object({
  provider: z.enum(['gmail', 'outlook', 'slack']),
  /** The rep's mailbox address, or the Slack channel id. */
  mailbox: z.string().min(1),
  /** The provider's own id of the message (Gmail id, Graph id, Slack ts). */
  providerId: z.string().min(1),
  /** The RFC 5322 Message-ID without angle brackets, lower-cased; what makes copies of one mail one interaction. */
  messageId: z.string().min(1).nullable(),
  threadId: z.string().min(1).nullable(),
});

export const interactionSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  kind: z.enum(interactionKinds),
  /** What a person reads on the timeline: the note, or a mail's subject. */
  summary: z.string(),
  occurredAt: instant,
  loggedAt: instant,
  /** The team member who logged it, or for mail and channels the rep whose mailbox or channel it came through. */
  loggedBy: z.string().min(1),
  linkReason: z.enum(linkReasons),
  /** A link back to the source, such as a Slack message permalink. */
  permalink: z.url().nullable(),
  /** For mail: from the customer (inbound) or from the team (outbound). */
  direction: z.enum(['inbound', 'outbound']).nullable().default(null),
  source: messageSourceSchema.nullable().default(null),
  /** The first words of a mail or message; the body is never stored. */
  snippet: z.string().nullable().default(null),
  /** Everyone on a mail (from, to, cc), lower-cased. */
  participants: z.array(emailAddress).default([]),
  /** Set when a rep removed this link; it stays so that later syncs do not link it again. */
  unlinkedAt: instant.nullable().default(null),
  unlinkedBy: z.string().nullable().default(null),
});

export type Interaction = z.infer<typeof interactionSchema>;
export type InteractionKind = Interaction['kind'];
export type LoggableKind = (typeof loggableKinds)[number];
export type LinkReason = Interaction['linkReason'];
export type MessageSource = z.infer<typeof messageSourceSchema>;

/** The fields only a mail or a message has, empty: what a call, a meeting or a note carries. */
export const notAMessage = {
  direction: null,
  source: null,
  snippet: null,
  participants: [],
  unlinkedAt: null,
  unlinkedBy: null,
} as const satisfies Partial<Interaction>;
