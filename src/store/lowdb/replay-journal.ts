import { StoreInvalidError } from '../../errors.ts';
import type { JournalEntry } from './parse-journal.ts';
import type { UniqueKey } from './parse-records.ts';
import type { RecordMap } from './line-records.ts';

/** The entries of one journal file, in the order they were appended. */
export interface JournalLines<T> {
  readonly path: string;
  readonly entries: readonly JournalEntry<T>[];
}

/**
 * Applies journals, in order, over the records of the snapshot at
 * `snapshotPath` (by id, in file order), in place. A record put anew goes
 * last, as it did in memory; one replaced keeps its place. Puts replace whole
 * records and deletes of an id that is gone do nothing, so replaying lines
 * the snapshot already has changes nothing.
 *
 * Values that must stay unique (a customer's domains) are checked on the
 * result, because only the result has to be consistent: the snapshot may be
 * newer than the first lines replayed over it. A clash is reported against
 * the journal line that last put the record.
 */
export function replayJournals<T extends { readonly id: string }>(
  snapshotPath: string,
  records: RecordMap<T>,
  journals: readonly JournalLines<T>[],
  unique?: UniqueKey<T>,
): RecordMap<T> {
  if (journals.every((journal) => journal.entries.length === 0)) return records;
  if (unique) assertUnique(snapshotPath, records, journals, unique);
  for (const journal of journals) {
    for (const entry of journal.entries) {
      // A replaced record keeps its place, and a new one (or one deleted before) goes last.
      if ('put' in entry) records.set(entry.put.id, entry.put);
      else records.delete(entry.delete);
    }
  }
  return records;
}

function assertUnique<T extends { readonly id: string }>(
  snapshotPath: string,
  records: RecordMap<T>,
  journals: readonly JournalLines<T>[],
  unique: UniqueKey<T>,
): void {
  // The last put of each record, in the order of those puts; and the records deleted for good.
  const touched = new Map<string, { record: T; where: string }>();
  const deleted = new Set<string>();
  for (const journal of journals) {
    for (const entry of journal.entries) {
      const id = 'put' in entry ? entry.put.id : entry.delete;
      touched.delete(id);
      deleted.delete(id);
      if ('put' in entry) touched.set(id, { record: entry.put, where: `${journal.path} line ${entry.line ?? '?'}` });
      else deleted.add(id);
    }
  }
  const owners = new Map<string, { id: string; label: string }>();
  let index = 0;
  for (const record of records.values()) {
    // The snapshot was valid, so its records are numbered as in the file.
    const position = index++;
    if (touched.has(record.id) || deleted.has(record.id)) continue;
    for (const key of unique.keys(record)) owners.set(key, { id: record.id, label: `${snapshotPath} record ${position} (id ${record.id})` });
  }
  const problems: string[] = [];
  for (const { record, where } of touched.values()) {
    const label = `${where} (id ${record.id})`;
    for (const key of unique.keys(record)) {
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, { id: record.id, label });
      else if (owner.id !== record.id) problems.push(`${label}: ${unique.label} ${key} is already used by ${owner.label}`);
    }
  }
  if (problems.length > 0) throw new StoreInvalidError(problems);
}
