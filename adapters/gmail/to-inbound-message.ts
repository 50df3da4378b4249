import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import type { InboundMessage } from '../../src/ingest/inbound-message.ts';
import { decodeEncodedWords, parseAddressList } from '../../src/ingest/parse-address-list.ts';

/** The headers asked for with format=metadata: who, what, which message, and the marks of bulk mail. */
export const metadataHeaders = ['From', 'To', 'Cc', 'Subject', 'Message-ID', 'List-Unsubscribe', 'Precedence', 'Auto-Submitted'];

/** A Gmail message (format=metadata, PLATFORMS.md B4) as ingestion's InboundMessage. */
export function toInboundMessage(message: gmail_v1.Schema$Message, mailbox: { address: string; memberId: string }): InboundMessage {
  // Header names are matched without regard to case: Message-ID, Message-Id.
  const header = (name: string) => message.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? undefined;
  const from = parseAddressList(header('From'))[0] ?? null;
  return {
    provider: 'gmail',
    mailbox: mailbox.address,
    loggedBy: mailbox.memberId,
    providerId: message.id!,
    messageId: header('Message-ID') ?? null,
    threadId: message.threadId ?? null,
    from,
    to: parseAddressList(header('To')),
    cc: parseAddressList(header('Cc')),
    subject: decodeEncodedWords(header('Subject') ?? ''),
    snippet: decodeHtmlEntities(message.snippet ?? ''),
    // internalDate orders mail better than the Date header, which the sender's clock wrote.
    sentAt: new Date(Number(message.internalDate)),
    bulkHeaders: {
      ...(header('List-Unsubscribe') ? { listUnsubscribe: header('List-Unsubscribe')! } : {}),
      ...(header('Precedence') ? { precedence: header('Precedence')! } : {}),
      ...(header('Auto-Submitted') ? { autoSubmitted: header('Auto-Submitted')! } : {}),
    },
    permalink: `https://mail.google.com/mail/u/${encodeURIComponent(mailbox.address)}/#all/${message.id}`,
    channelCustomerId: null,
  };
}

/** Gmail's snippets come HTML-escaped (`&#39;`, `&amp;`). */
function decodeHtmlEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
