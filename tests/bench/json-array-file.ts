import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** Bytes of text gathered before they go to the stream. */
const batchChars = 1 << 20;

/**
 * Writes one collection file the way the lowdb store writes it, a JSON array
 * with one record per line:
 *
 *     [
 *       {"id":"cus_…",…},
 *       {"id":"cus_…",…}
 *     ]
 *
 * streamed in batches of about a megabyte, so a 250 MB file is never one string.
 */
export class JsonArrayFile {
  readonly path: string;
  readonly #stream: WriteStream;
  #pending: string[] = [];
  #pendingChars = 0;
  #count = 0;
  #bytes = 0;
  #error: Error | null = null;

  constructor(path: string) {
    this.path = path;
    this.#stream = createWriteStream(path, { encoding: 'utf8' });
    this.#stream.on('error', (error) => {
      this.#error = error;
    });
  }

  get count(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Adds a record; when this returns true, `await drain()` before adding more. */
  add(record: object): boolean {
    const line = JSON.stringify(record);
    this.#pending.push(this.#count === 0 ? `[\n  ${line}` : `,\n  ${line}`);
    this.#pendingChars += line.length + 4;
    this.#count++;
    return this.#pendingChars >= batchChars;
  }

  /** Hands the gathered text to the stream and waits if the stream is full. */
  async drain(): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    this.#bytes += Buffer.byteLength(text);
    // events.once rejects if the stream fails meanwhile.
    if (!this.#stream.write(text)) await once(this.#stream, 'drain');
    if (this.#error) throw this.#error;
  }

  async close(): Promise<void> {
    await this.drain();
    const tail = this.#count === 0 ? '[]\n' : '\n]\n';
    this.#bytes += Buffer.byteLength(tail);
    this.#stream.write(tail);
    this.#stream.end();
    await once(this.#stream, 'finish');
    if (this.#error) throw this.#error;
  }
}
