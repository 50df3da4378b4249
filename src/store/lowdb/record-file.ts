import { writeFileAtomically } from './write-file-atomically.ts';

/** Records per chunk: big enough to write efficiently, small enough not to hold the event loop. */
const chunkSize = 2000;

/**
 * One collection's JSON file: an array with one record per line, so the file
 * stays readable, greppable and easy to edit by hand at any size.
 *
 * Writes are serialised and coalesced: a save asked for while another write
 * is running waits for it, and every save asked for meanwhile shares the next
 * write, which takes its snapshot when it starts and so includes all of them.
 */
export class RecordFile {
  readonly path: string;
  readonly #snapshot: () => readonly string[];
  #last: Promise<void> = Promise.resolve();
  #queued: Promise<void> | null = null;
  #failed = false;

  /** `snapshot` returns the records, each already serialised as one line of JSON. */
  constructor(path: string, snapshot: () => readonly string[]) {
    this.path = path;
    this.#snapshot = snapshot;
  }

  /** Resolves once the state as of now (or later) is on disk. */
  save(): Promise<void> {
    if (this.#queued) return this.#queued;
    const queued = this.#last.then(noop, noop).then(() => {
      this.#queued = null;
      return this.#write();
    });
    this.#queued = queued;
    this.#last = queued;
    return queued;
  }

  /** Waits for pending writes; retries once if the last one failed, so memory and disk agree. */
  async flush(): Promise<void> {
    await this.#last.then(noop, noop);
    if (this.#failed) await this.save();
  }

  async #write(): Promise<void> {
    try {
      await writeFileAtomically(this.path, renderJsonArray(this.#snapshot()));
      this.#failed = false;
    } catch (error) {
      this.#failed = true;
      throw error;
    }
  }
}

function* renderJsonArray(lines: readonly string[]): Generator<string> {
  if (lines.length === 0) {
    yield '[]\n';
    return;
  }
  for (let start = 0; start < lines.length; start += chunkSize) {
    const end = start + chunkSize;
    const body = lines.slice(start, end).join(',\n  ');
    yield `${start === 0 ? '[\n  ' : ',\n  '}${body}${end >= lines.length ? '\n]\n' : ''}`;
  }
}

function noop(): void {}
