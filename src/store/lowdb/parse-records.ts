import type { z } from 'zod';
import { StoreInvalidError } from '../../errors.ts';

/** A value that no two records of a file may share, such as a customer's domain. */
export interface UniqueKey<T> {
  readonly label: string;
  keys(record: T): readonly string[];
}

/** Enough to fix a file by hand without burying the first problems under thousands. */
const maxProblemsPerFile = 20;

/**
 * Validates the array read from one collection's file at `path`. Throws
 * StoreInvalidError with a sentence per problem, naming the file, the record
 * and what is wrong. Records are numbered from 0, as in the JSON array (`jq '.[3]'`).
 */
export function parseRecords<T extends { id: string }>(
  path: string,
  data: readonly unknown[],
  schema: z.ZodType<T>,
  unique?: UniqueKey<T>,
): T[] {
  const records: T[] = [];
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const owners = new Map<string, { index: number; id: string }>();
  data.forEach((raw: unknown, index) => {
    const label = recordLabel(`${path} record ${index}`, raw);
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${label}: ${formatIssue(issue)}`);
      return;
    }
    const record = result.data;
    const earlier = ids.get(record.id);
    if (earlier !== undefined) {
      problems.push(`${label}: the id is already used by record ${earlier}`);
      return;
    }
    ids.set(record.id, index);
    for (const key of unique?.keys(record) ?? []) {
      const owner = owners.get(key);
      if (owner && owner.id !== record.id) {
        problems.push(`${label}: ${unique?.label} ${key} is already used by record ${owner.index} (id ${owner.id})`);
      } else {
        owners.set(key, { index, id: record.id });
      }
    }
    records.push(record);
  });
  if (problems.length > 0) throw new StoreInvalidError(capProblems(path, problems));
  return records;
}

/** `issue.path` and `issue.message`, as in `domains.0: a domain such as acme.com`. */
export function formatIssue(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): string {
  const where = issue.path.map(String).join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** `where` (a file and a record or line) and the id of `raw` if it has one. */
export function recordLabel(where: string, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' && id !== '' ? `${where} (id ${id})` : where;
}

/** The first problems of a file and a count of the rest. */
export function capProblems(path: string, problems: string[]): string[] {
  if (problems.length <= maxProblemsPerFile) return problems;
  const rest = problems.length - maxProblemsPerFile;
  return [...problems.slice(0, maxProblemsPerFile), `${path}: ${rest} more problem(s) not listed`];
}
