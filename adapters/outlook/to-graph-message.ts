import type { OutgoingMail } from '../../src/mail/mail-port.ts';

/**
 * A message as Graph's sendMail takes it in JSON: the HTML body (Graph makes
 * the text part), the recipient; the sender is the mailbox the call names.
 * https://learn.microsoft.com/en-us/graph/api/user-sendmail
 */
export function toGraphMessage(mail: OutgoingMail): Record<string, unknown> {
  return {
    subject: mail.subject,
    body: { contentType: 'HTML', content: mail.html },
    toRecipients: [{ emailAddress: { address: mail.to.address, ...(mail.to.name ? { name: mail.to.name } : {}) } }],
  };
}
