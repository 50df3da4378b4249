import type { InboundMessage } from './inbound-message.ts';

// Senders that are machines, not people: a reply would go nowhere.
const machineSender = /^(no-?reply|do-?not-?reply|noreply-[^@]*|mailer-daemon|postmaster|bounces?(\+[^@]*)?|notifications?|newsletter)@/i;

/**
 * Mail sent to many, not to us: a List-Unsubscribe header (RFC 2369/8058),
 * Precedence bulk, list or junk, an Auto-Submitted other than "no" (RFC 3834),
 * or a no-reply sender.
 */
export function bulkReason(message: Pick<InboundMessage, 'bulkHeaders' | 'from'>): string | null {
  const { listUnsubscribe, precedence, autoSubmitted } = message.bulkHeaders;
  if (listUnsubscribe) return 'it has a List-Unsubscribe header';
  if (precedence && /^(bulk|list|junk)$/i.test(precedence.trim())) return `it is marked Precedence: ${precedence.trim()}`;
  if (autoSubmitted && !/^no$/i.test(autoSubmitted.trim())) return `it is marked Auto-Submitted: ${autoSubmitted.trim()}`;
  if (message.from && machineSender.test(message.from.email)) return `it comes from ${message.from.email}, which takes no replies`;
  return null;
}
