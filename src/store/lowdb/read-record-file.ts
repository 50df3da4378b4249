import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/** A value that no two records of a file may share, such as a customer's domain. */
export interface UniqueKey<T> {
  readonly label: string;
  keys(record: T): readonly string[];
}

export interface RecordFileContents<T> {
  readonly records: T[];
  /** Sentences naming the file, the record and what is wrong; empty when all is well. */
  readonly problems: string[];
}

/** Enough to fix a file by hand without burying the first problems under thousands. */
const maxProblemsPerFile = 20;

/**
 * Reads and validates one collection's file. A missing file is an empty
 * collection. Records are numbered from 0, as in the JSON array (`jq '.[3]'`).
 */
export async function readRecordFile<T extends { id: string }>(
  path: string,
  schema: z.ZodType<T>,
  unique?: UniqueKey<T>,
): Promise<RecordFileContents<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], problems: [] };
    return { records: [], problems: [`${path}: cannot be read (${(error as Error).message})`] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { records: [], problems: [`${path}: not valid JSON (${(error as Error).message})`] };
  }
  if (!Array.isArray(data)) {
    return { records: [], problems: [`${path}: should hold a JSON array of records, [ ... ], but holds ${describe(data)}`] };
  }
  const records: T[] = [];
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const owners = new Map<string, { index: number; id: string }>();
  data.forEach((raw: unknown, index) => {
    const label = recordLabel(path, index, raw);
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
  return { records, problems: capped(path, problems) };
}

/** `issue.path` and `issue.message`, as in `domains.0: a domain such as acme.com`. */
export function formatIssue(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): string {
  const where = issue.path.map(String).join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

function recordLabel(path: string, index: number, raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' && id !== '' ? `${path} record ${index} (id ${id})` : `${path} record ${index}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function capped(path: string, problems: string[]): string[] {
  if (problems.length <= maxProblemsPerFile) return problems;
  const rest = problems.length - maxProblemsPerFile;
  return [...problems.slice(0, maxProblemsPerFile), `${path}: ${rest} more problem(s) not listed`];
}
