import { randomBytes } from 'node:crypto';
import type { OutgoingMail } from '../../src/mail/mail-port.ts';

/**
 * A message as Gmail's users.messages.send takes it: an RFC 2822 message,
 * base64url-encoded, in `raw`. Text and HTML go as multipart/alternative, each
 * part base64 (any language, any line length); headers that are not ASCII are
 * RFC 2047 encoded words. Gmail adds Message-ID and Date.
 * https://developers.google.com/workspace/gmail/api/guides/sending
 */
export function toRawMessage(from: string, mail: OutgoingMail): string {
  const boundary = `guanxi-${randomBytes(12).toString('hex')}`;
  const part = (type: string, content: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', wrap(Buffer.from(content, 'utf8').toString('base64'))].join('\r\n');
  const message = [
    `From: ${from}`,
    `To: ${mail.to.name ? `${displayName(mail.to.name)} <${mail.to.address}>` : mail.to.address}`,
    `Subject: ${encodedWord(mail.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    part('text/plain', mail.text),
    part('text/html', mail.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.from(message, 'utf8').toString('base64url');
}

const ascii = /^[\x20-\x7e]*$/;

/** Unstructured text (a subject): ASCII as it is, anything else as `=?UTF-8?B?…?=`. */
function encodedWord(text: string): string {
  return ascii.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** A display name: quoted when it holds specials (RFC 5322 phrase), an encoded word when not ASCII. */
function displayName(name: string): string {
  if (!ascii.test(name)) return encodedWord(name);
  return /[()<>@,;:\\".[\]]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name;
}

/** Base64 body lines of 76 characters (RFC 2045). */
function wrap(base64: string): string {
  return base64.match(/.{1,76}/g)?.join('\r\n') ?? '';
}
