import { constants } from 'node:buffer';

const newline = 0x0a;
const space = 0x20;
const openBrace = 0x7b;
const comma = 0x2c;
const openBracket = 0x5b;
const closeBracket = 0x5d;

/**
 * Parses the text of a collection's snapshot. A file as the store writes it
 * (a `[` line, one record per line, a `]` line) is parsed a line at a time,
 * so no string as long as the file is built: V8 cannot build one past 512 MB,
 * and a million mails with their snippets are more. Any other layout (pretty
 * printed by hand, say) is parsed whole, so its errors read as JSON.parse's.
 * Throws a SyntaxError, with a line number if the file is too big to parse whole.
 */
export function parseJsonArray(buffer: Buffer): unknown {
  const byLine = parseByLine(buffer);
  if (Array.isArray(byLine)) return byLine;
  if (buffer.length > constants.MAX_STRING_LENGTH) {
    throw new SyntaxError(`line ${byLine.line} is not one record of the array, as the store writes it, and the file is too big to read any other way`);
  }
  return JSON.parse(buffer.toString('utf8'));
}

/** The records, or the first line (from 1) that is not laid out as the store writes it. */
function parseByLine(buffer: Buffer): unknown[] | { line: number } {
  if (buffer[0] !== openBracket || buffer[1] !== newline) return { line: 1 };
  const records: unknown[] = [];
  let more = true;
  let closed = false;
  let start = 2;
  for (let line = 2; start < buffer.length; line++) {
    let end = buffer.indexOf(newline, start);
    if (end === -1) end = buffer.length;
    const length = end - start;
    if (closed || (length === 1 && buffer[start] === closeBracket)) {
      // Nothing may follow the closing bracket, and it may not follow a comma.
      if (closed || (more && records.length > 0)) return { line };
      closed = true;
    } else {
      if (!more || length < 3 || buffer[start] !== space || buffer[start + 1] !== space || buffer[start + 2] !== openBrace) return { line };
      more = buffer[end - 1] === comma;
      try {
        records.push(JSON.parse(buffer.toString('utf8', start, more ? end - 1 : end)));
      } catch {
        return { line };
      }
    }
    start = end + 1;
  }
  return closed ? records : { line: 1 };
}
