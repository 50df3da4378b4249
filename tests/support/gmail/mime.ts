/**
 * Reads an RFC 2822 message as mail clients do, for the fakes' record of what
 * was sent: headers (with RFC 2047 encoded words decoded), and the text and
 * HTML parts of a single-part or multipart/alternative body (base64,
 * quoted-printable or plain).
 */
export interface ReadMessage {
  headers: { name: string; value: string }[];
  header(name: string): string | undefined;
  text: string | null;
  html: string | null;
}

export function readMessage(source: string): ReadMessage {
  const { headers, body } = split(source);
  const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const parts: { type: string; content: string }[] = [];
  collect(header('content-type') ?? 'text/plain', header('content-transfer-encoding'), body, parts);
  return {
    headers,
    header,
    text: parts.find((p) => p.type === 'text/plain')?.content ?? null,
    html: parts.find((p) => p.type === 'text/html')?.content ?? null,
  };
}

function split(source: string): { headers: { name: string; value: string }[]; body: string } {
  const normal = source.replace(/\r\n/g, '\n');
  const end = normal.indexOf('\n\n');
  const head = end < 0 ? normal : normal.slice(0, end);
  const body = end < 0 ? '' : normal.slice(end + 2);
  const headers = head
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon).trim(), value: decodeWords(line.slice(colon + 1).trim()) };
    });
  return { headers, body };
}

function collect(contentType: string, encoding: string | undefined, body: string, parts: { type: string; content: string }[]): void {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return;
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = split(chunk.replace(/^\n/, ''));
      const get = (name: string) => part.headers.find((h) => h.name.toLowerCase() === name)?.value;
      collect(get('content-type') ?? 'text/plain', get('content-transfer-encoding'), part.body, parts);
    }
    return;
  }
  parts.push({ type, content: decodeBody(body, encoding).replace(/\n$/, '') });
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return Buffer.from(body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
    default:
      return body;
  }
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}
