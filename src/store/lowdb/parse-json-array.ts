import { constants } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';

const newline = 0x0a;
const space = 0x20;
const openBrace = 0x7b;
const comma = 0x2c;
const openBracket = 0x5b;
const closeBracket = 0x5d;

/** Bytes read at a time; a line longer than this grows the buffer. */
const chunkBytes = 4 * 1024 * 1024;

/**
 * A record of a snapshot, and where its JSON is: `buffer` from `start` to
 * `end` (the line, without the comma); `buffer[0]` is byte `offset` of the file.
 */
export type EachRecord = (value: unknown, buffer: Buffer, start: number, end: number, offset: number) => void;

/**
 * Reads a collection's snapshot laid out as the store writes it (a `[` line,
 * one record per line, a `]` line) a chunk at a time, handing each record to
 * `each` as it is parsed, with where its text is: neither the file nor a
 * string as long as it is ever in memory (V8 cannot build one past 512 MB, and
 * a million mails with their snippets are more). Each chunk is a fresh buffer,
 * holding whole lines only, so a caller may keep it. Resolves null when the
 * whole file was read so, or with the first line (from 1) that is not laid
 * out so; the caller then parses the file whole with `parseJsonArray`, and
 * forgets what `each` was given.
 */
export async function streamJsonArray(handle: FileHandle, each: EachRecord): Promise<{ line: number } | null> {
  const layout = new Layout(each);
  let buffer = Buffer.allocUnsafeSlow(chunkBytes);
  let filled = 0;
  let position = 0;
  for (;;) {
    if (filled === buffer.length) buffer = Buffer.concat([buffer.subarray(0, filled)], buffer.length * 2);
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
    position += bytesRead;
    filled += bytesRead;
    const atEnd = bytesRead === 0;
    const view = buffer.subarray(0, filled);
    let start = 0;
    while (start < filled) {
      let end = view.indexOf(newline, start);
      if (end === -1) {
        if (!atEnd) break;
        end = filled;
      }
      const wrong = layout.line(view, start, end, position - filled);
      if (wrong) return wrong;
      start = end + 1;
    }
    if (atEnd) return layout.end();
    // The piece of a line after the last newline starts the next buffer, to be completed by the next read.
    const next = Buffer.allocUnsafeSlow(Math.max(chunkBytes, 2 * (filled - start)));
    buffer.copy(next, 0, start, filled);
    filled -= start;
    buffer = next;
  }
}

/** Follows the lines of a snapshot; says which line first breaks the layout. */
class Layout {
  readonly #each: EachRecord;
  #line = 0;
  #records = 0;
  #more = true;
  #closed = false;

  constructor(each: EachRecord) {
    this.#each = each;
  }

  line(buffer: Buffer, start: number, end: number, offset: number): { line: number } | null {
    const line = ++this.#line;
    const length = end - start;
    if (line === 1) return length === 1 && buffer[start] === openBracket ? null : { line };
    if (this.#closed || (length === 1 && buffer[start] === closeBracket)) {
      // Nothing may follow the closing bracket, and it may not follow a comma.
      if (this.#closed || (this.#more && this.#records > 0)) return { line };
      this.#closed = true;
      return null;
    }
    if (!this.#more || length < 3 || buffer[start] !== space || buffer[start + 1] !== space || buffer[start + 2] !== openBrace) return { line };
    this.#more = buffer[end - 1] === comma;
    const stop = this.#more ? end - 1 : end;
    let value: unknown;
    try {
      value = JSON.parse(buffer.toString('utf8', start, stop));
    } catch {
      return { line };
    }
    this.#records++;
    this.#each(value, buffer, start, stop, offset);
    return null;
  }

  end(): { line: number } | null {
    return this.#closed ? null : { line: 1 };
  }
}

/**
 * Parses a whole snapshot laid out any other way (pretty printed by hand, say),
 * so its errors read as JSON.parse's. `wrong` is the line `streamJsonArray`
 * stopped at, named if the file is too big to parse whole. Throws a SyntaxError.
 */
export function parseJsonArray(buffer: Buffer, wrong: { line: number }): unknown {
  if (buffer.length > constants.MAX_STRING_LENGTH) {
    throw new SyntaxError(`line ${wrong.line} is not one record of the array, as the store writes it, and the file is too big to read any other way`);
  }
  return JSON.parse(buffer.toString('utf8'));
}
