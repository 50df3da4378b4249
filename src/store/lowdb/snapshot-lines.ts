import { LineIds, type LineIdParts } from './line-ids.ts';

/** Where a snapshot's lines are, as a worker hands them over. */
export interface ScannedLines {
  /** The file's bytes, whole lines per buffer; line `n` is `chunks[chunk[n]]` from `start[n]` to `end[n]`. */
  readonly chunks: readonly ArrayBuffer[];
  /** Where in the file each buffer's first byte is. */
  readonly offsets: Float64Array;
  readonly chunk: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** The parts of a snapshot's lines: where they are, and their ids. */
export interface SnapshotLineParts extends ScannedLines {
  readonly ids: LineIdParts;
}

/** How many records one generation of the recently read holds: at most twice this are kept. */
const generationSize = 16_384;
/** How many lines read once are remembered by number, to know a second read when it comes. */
const seenSize = 65_536;

/**
 * The lines of a snapshot as read, kept as the file's bytes: the records of
 * a large collection that was read whole and found valid, held at a byte
 * each per character instead of as objects, and parsed again only when one is
 * asked for. Line `n` is record `n` of the file.
 */
export class SnapshotLines<T> {
  readonly ids: LineIds;
  readonly #chunks: readonly Buffer[];
  readonly #chunk: Int32Array;
  readonly #start: Int32Array;
  readonly #end: Int32Array;
  /**
   * The records read lately, in two generations: a hit in the older moves to
   * the newer, and when the newer is full the older is dropped. Lines do not
   * change while the snapshot is open, so a kept record is never stale.
   */
  #recent = new Map<number, T>();
  #older = new Map<number, T>();
  /** Lines asked for once lately, by number only. */
  readonly #seen = new Set<number>();

  constructor(parts: SnapshotLineParts) {
    this.ids = new LineIds(parts.ids);
    this.#chunks = parts.chunks.map((chunk) => Buffer.from(chunk));
    this.#chunk = parts.chunk;
    this.#start = parts.start;
    this.#end = parts.end;
  }

  get count(): number {
    return this.#chunk.length;
  }

  /** The record's JSON, as the file had it, without the line's indentation (the writer adds its own). */
  text(line: number): string {
    return this.#chunks[this.#chunk[line]!]!.toString('utf8', this.#start[line], this.#end[line]).trimStart();
  }

  /** The length in bytes of the record's JSON, as `text` gives it: without the line's indentation. */
  jsonBytes(line: number): number {
    return this.#end[line]! - this.#jsonStart(line);
  }

  /**
   * Whether line `line` follows the line before it in the file as the store
   * writes records, `,\n` and two spaces of indentation between their JSON,
   * in one buffer: then the two can be copied as one piece of bytes.
   */
  follows(line: number): boolean {
    if (line === 0 || this.#chunk[line] !== this.#chunk[line - 1]) return false;
    const chunk = this.#chunks[this.#chunk[line]!]!;
    const at = this.#end[line - 1]!;
    return this.#jsonStart(line) === at + 4 && chunk[at] === 0x2c && chunk[at + 1] === 0x0a && chunk[at + 2] === 0x20 && chunk[at + 3] === 0x20;
  }

  /** The file's bytes from the JSON of line `from` to the end of that of line `to - 1`, each of which `follows` the one before: a view, not a copy. */
  bytes(from: number, to: number): Buffer {
    return this.#chunks[this.#chunk[from]!]!.subarray(this.#jsonStart(from), this.#end[to - 1]);
  }

  #jsonStart(line: number): number {
    const chunk = this.#chunks[this.#chunk[line]!]!;
    let start = this.#start[line]!;
    while (chunk[start] === 0x20) start++;
    return start;
  }

  /** The record of a line: one of the recently read if it is there, else parsed, and not kept. */
  record(line: number): T {
    return this.#recent.get(line) ?? this.#older.get(line) ?? this.#parse(line);
  }

  /**
   * The record of a line, kept among the recently read once it is asked for
   * a second time: for what is read again and again, such as the newest
   * interactions of the customers whose cards the team looks at. A line read
   * only once (the digest goes through every account's timeline once a day)
   * leaves just its number behind, not its record.
   */
  remember(line: number): T {
    const recent = this.#recent.get(line);
    if (recent !== undefined) return recent;
    const older = this.#older.get(line);
    if (older === undefined && !this.#seen.has(line)) {
      if (this.#seen.size >= seenSize) this.#seen.clear();
      this.#seen.add(line);
      return this.#parse(line);
    }
    const record = older ?? this.#parse(line);
    if (this.#recent.size >= generationSize) {
      this.#older = this.#recent;
      this.#recent = new Map();
    }
    this.#recent.set(line, record);
    return record;
  }

  /** The record, parsed afresh: callers may not change it, so it is frozen, and the same object can be handed to every reader. */
  #parse(line: number): T {
    return deepFreeze(JSON.parse(this.text(line)) as T);
  }
}

/** Callers may share what they read but not change it; freezing makes a mistake fail loudly. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // for…in rather than Object.values: no array per record, at a million records.
    for (const key in value) deepFreeze(value[key]);
  }
  return value;
}
