import type { Address, InboundMessage } from '../../src/ingest/inbound-message.ts';

/** Graph's message fields guanxi reads (PLATFORMS.md C5): headers and the preview, never the body. */
export const messageFields = ['from', 'toRecipients', 'ccRecipients', 'subject', 'internetMessageId', 'conversationId', 'receivedDateTime', 'sentDateTime', 'bodyPreview', 'isDraft', 'webLink', 'internetMessageHeaders'];

interface Recipient {
  emailAddress?: { name?: string; address?: string };
}

export interface GraphMessage {
  id: string;
  from?: Recipient;
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
  subject?: string | null;
  internetMessageId?: string | null;
  conversationId?: string | null;
  receivedDateTime?: string;
  sentDateTime?: string;
  bodyPreview?: string | null;
  isDraft?: boolean;
  webLink?: string | null;
  internetMessageHeaders?: { name: string; value: string }[];
  '@removed'?: unknown;
}

/** A Graph message as ingestion's InboundMessage; internetMessageId is the RFC Message-ID, so a mail a Gmail rep also has is one interaction. */
export function toInboundMessage(message: GraphMessage, mailbox: { address: string; memberId: string }): InboundMessage {
  const header = (name: string) => message.internetMessageHeaders?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const listUnsubscribe = header('List-Unsubscribe');
  const precedence = header('Precedence');
  const autoSubmitted = header('Auto-Submitted');
  return {
    provider: 'outlook',
    mailbox: mailbox.address,
    loggedBy: mailbox.memberId,
    providerId: message.id,
    messageId: message.internetMessageId ?? null,
    threadId: message.conversationId ?? null,
    from: address(message.from),
    to: (message.toRecipients ?? []).flatMap((r) => address(r) ?? []),
    cc: (message.ccRecipients ?? []).flatMap((r) => address(r) ?? []),
    subject: message.subject ?? '',
    snippet: message.bodyPreview ?? '',
    sentAt: new Date(message.receivedDateTime ?? message.sentDateTime ?? 0),
    bulkHeaders: { ...(listUnsubscribe ? { listUnsubscribe } : {}), ...(precedence ? { precedence } : {}), ...(autoSubmitted ? { autoSubmitted } : {}) },
    permalink: message.webLink ?? null,
    channelCustomerId: null,
  };
}

function address(recipient: Recipient | undefined): Address | null {
  const email = recipient?.emailAddress?.address?.trim().toLowerCase();
  return email && email.includes('@') ? { email, name: recipient?.emailAddress?.name?.trim() || null } : null;
}
