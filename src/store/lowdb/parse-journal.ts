import { StoreInvalidError } from '../../errors.ts';
import { capProblems, formatIssue, recordLabel, type RecordParser } from './parse-records.ts';

/**
 * One line of a collection's journal: a record written whole (an insert or a
 * replace), or the id of a record removed. `line` is where it was read from.
 */
export type JournalEntry<T> = { readonly put: T; readonly line?: number } | { readonly delete: string; readonly line?: number };

export interface ParsedJournal<T> {
  readonly entries: JournalEntry<T>[];
  /** Bytes of the lines kept: where the next append goes. */
  readonly bytes: number;
  /**
   * The last line when the file does not end with a newline. A torn one (not
   * JSON: a crash in the middle of an append, never acknowledged) is ignored
   * and is cut off before the next append; a complete one is kept.
   */
  readonly tail: { readonly line: number; readonly bytes: number; readonly torn: boolean } | null;
}

const newline = 0x0a;

/** The line a journal holds for `entry`, without its newline. */
export function renderEntry<T>(entry: JournalEntry<T>): string {
  return 'put' in entry ? `{"put":${JSON.stringify(entry.put)}}` : `{"delete":${JSON.stringify(entry.delete)}}`;
}

/**
 * Reads a journal, one JSON object per line. Throws StoreInvalidError with a
 * sentence per problem, naming the file, the line (from 1, as editors count)
 * and what is wrong; blank lines are skipped.
 */
export function parseJournal<T extends { id: string }>(path: string, buffer: Buffer, parse: RecordParser<T>): ParsedJournal<T> {
  const entries: JournalEntry<T>[] = [];
  const problems: string[] = [];
  let tail: ParsedJournal<T>['tail'] = null;
  let start = 0;
  for (let line = 1; start < buffer.length; line++) {
    const end = buffer.indexOf(newline, start);
    const stop = end === -1 ? buffer.length : end;
    const text = buffer.toString('utf8', start, stop);
    // In bytes: a torn line may end inside a character.
    const bytes = stop - start;
    start = stop + 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (end === -1) {
        tail = { line, bytes, torn: true };
        break;
      }
      problems.push(`${path} line ${line}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    if (end === -1) tail = { line, bytes, torn: false };
    const entry = toEntry(value, `${path} line ${line}`, parse, problems);
    if (entry) entries.push({ ...entry, line });
  }
  if (problems.length > 0) throw new StoreInvalidError(capProblems(path, problems));
  return { entries, bytes: tail?.torn ? buffer.length - tail.bytes : buffer.length, tail };
}

function toEntry<T>(value: unknown, where: string, parse: RecordParser<T>, problems: string[]): JournalEntry<T> | null {
  const keys = isObject(value) ? Object.keys(value) : [];
  if (isObject(value) && keys.length === 1 && keys[0] === 'put') {
    const result = parse(value.put);
    if (result.success) return { put: result.data };
    const label = recordLabel(where, value.put);
    for (const issue of result.error.issues) problems.push(`${label}: ${formatIssue(issue)}`);
    return null;
  }
  if (isObject(value) && keys.length === 1 && keys[0] === 'delete' && typeof value.delete === 'string' && value.delete !== '') {
    return { delete: value.delete };
  }
  problems.push(`${where}: should hold {"put": {…record…}} or {"delete": "id"}, but holds ${JSON.stringify(value).slice(0, 80)}`);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
