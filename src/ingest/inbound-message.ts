/** A person on a message: the address and the display name the mail gave, if any. */
export interface Address {
  email: string;
  name: string | null;
}

/**
 * What every source of mail or chat hands to ingestion (DESIGN.md "Inbound
 * messages"): headers and a snippet, never a body.
 */
export interface InboundMessage {
  provider: 'gmail' | 'outlook' | 'slack';
  /** The rep's mailbox address, or the Slack channel id. */
  mailbox: string;
  /** The team member whose mailbox or channel it came through. */
  loggedBy: string;
  /** The provider's own id (Gmail message id, Graph id, `channel:ts` in Slack). */
  providerId: string;
  /** The RFC 5322 Message-ID as the header gave it; null when there is none (chat). */
  messageId: string | null;
  threadId: string | null;
  from: Address | null;
  to: Address[];
  cc: Address[];
  subject: string;
  snippet: string;
  sentAt: Date;
  /** The headers that mark bulk mail (lower-case names), absent when not sent. */
  bulkHeaders: { listUnsubscribe?: string; precedence?: string; autoSubmitted?: string };
  permalink: string | null;
  /** For a message in a linked Slack channel: the customer the channel belongs to. */
  channelCustomerId: string | null;
}

/** `<ABC@mail.example.com>` and `abc@mail.example.com` are one Message-ID. */
export function normaliseMessageId(raw: string | null): string | null {
  const id = raw?.trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return id ? id : null;
}
