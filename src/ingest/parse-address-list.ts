import type { Address } from './inbound-message.ts';

/**
 * Reads an RFC 5322 address-list header (From, To, Cc) into addresses:
 * `"Doe, Jane" <jane@acme.com>, bob@example.com, Kim <kim@globex.com>`.
 * Display names may be quoted or RFC 2047 encoded (`=?UTF-8?B?…?=`); groups
 * (`team: a@x.com, b@x.com;`) give their members; anything without an address
 * (`undisclosed-recipients:;`) gives nothing.
 */
export function parseAddressList(header: string | null | undefined): Address[] {
  if (!header) return [];
  const addresses: Address[] = [];
  for (const part of splitOutsideQuotes(header.replace(/\r?\n[ \t]+/g, ' '))) {
    const angle = /^(.*)<([^<>]+)>\s*$/s.exec(part);
    const email = (angle ? angle[2]! : part).trim().replace(/^mailto:/i, '').toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) continue;
    const name = angle ? cleanName(angle[1]!) : null;
    addresses.push({ email, name: name || null });
  }
  return addresses;
}

/** Splits at commas (and group colons and semicolons) that are not inside quotes, angle brackets or comments. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted) {
      current += c + (text[++i] ?? '');
      continue;
    }
    if (c === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && c === '(') comment++;
    else if (!quoted && c === ')' && comment > 0) comment--;
    else if (!quoted && comment === 0 && c === '<') angle++;
    else if (!quoted && comment === 0 && c === '>' && angle > 0) angle--;
    if (!quoted && comment === 0 && angle === 0 && (c === ',' || c === ';' || (c === ':' && !current.includes('@')))) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function cleanName(raw: string): string {
  let name = raw.trim().replace(/\([^)]*\)/g, '').trim();
  if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return decodeEncodedWords(name).trim();
}

/** RFC 2047: `=?charset?B|Q?text?=`, as mail clients write non-ASCII names. */
export function decodeEncodedWords(text: string): string {
  return text
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset: string, encoding: string, data: string) => {
      try {
        const bytes = encoding.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
        return new TextDecoder(charset.toLowerCase()).decode(bytes);
      } catch {
        return data;
      }
    });
}
