import { join } from 'node:path';
import type { z } from 'zod';
import { blockSchema } from '../../domain/block.ts';
import { caseSchema } from '../../domain/case.ts';
import { channelLinkSchema } from '../../domain/channel-link.ts';
import { contactSchema } from '../../domain/contact.ts';
import { customerSchema } from '../../domain/customer.ts';
import { dealSchema } from '../../domain/deal.ts';
import { digestSentSchema } from '../../domain/digest.ts';
import { interactionSchema, type Interaction } from '../../domain/interaction.ts';
import { jobRunSchema } from '../../domain/job-run.ts';
import { mailboxSchema } from '../../domain/mailbox.ts';
import { memberSchema } from '../../domain/member.ts';
import { pollSchema } from '../../domain/poll.ts';
import { reminderSchema } from '../../domain/reminder.ts';
import { suggestionSchema } from '../../domain/suggestion.ts';
import { StoreInvalidError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { Collection, type CompactionLimits } from './collection.ts';
import { JournalFile } from './journal-file.ts';
import { JsonLinesFile, type SnapshotIndexing } from './json-lines-file.ts';
import { deliverySchema } from './lowdb-delivery-log.ts';
import { parseJournal } from './parse-journal.ts';
import { interner, recordParser, SnapshotRecords, type Interner, type UniqueKey } from './parse-records.ts';
import type { InteractionIndex } from './interaction-index.ts';
import { defaultScanFromBytes, scanInWorker } from './scan-in-worker.ts';
import { indexPathOf, interactionIndexing } from './snapshot-index.ts';
import type { ScanResult } from './scan-snapshot.ts';

export interface LoadOptions {
  readonly limits: CompactionLimits;
  readonly log: Logger;
  /** The interactions' snapshot from this size up is scanned by a worker thread and kept as its lines. */
  readonly scanFromBytes?: number;
}

export type Collections = ReturnType<typeof defineCollections>;

/** What to make of each collection once it is read: a repo and its indexes, say. */
export type Builders = { readonly [K in keyof Collections]: (collection: Collections[K]) => unknown };
type Built<B extends Builders> = { [K in keyof Collections]: ReturnType<B[K]> };

/**
 * Reads and validates every file of the folder, and builds on each
 * collection as soon as it is read (a repo's indexes), so that the building
 * overlaps the reading of the others. If any file has a problem, rejects
 * with StoreInvalidError listing them all and hands out no collection, so
 * nothing can be written over the files.
 */
export async function loadCollections<B extends Builders>(
  dir: string,
  options: LoadOptions,
  build: B,
): Promise<{ collections: Collections; built: Built<B> }> {
  const collections = defineCollections(dir, options);
  const names = Object.keys(collections) as (keyof Collections)[];
  const built: Partial<Record<keyof Collections, unknown>> = {};
  const settled = await Promise.allSettled(
    names.map(async (name) => {
      await collections[name].read();
      built[name] = (build[name] as (collection: Collections[typeof name]) => unknown)(collections[name]);
    }),
  );
  const failures: unknown[] = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const unexpected = failures.find((failure) => !(failure instanceof StoreInvalidError));
  if (unexpected !== undefined) throw unexpected;
  const problems = failures.flatMap((failure) => (failure as StoreInvalidError).problems);
  if (problems.length > 0) throw new StoreInvalidError(problems);
  for (const name of names) await collections[name].start();
  return { collections, built: built as Built<B> };
}

/** The collections of the folder, nothing read yet. */
function defineCollections(dir: string, options: LoadOptions) {
  // Member ids recur on most records; shared by every file read now, each is one string in memory.
  const intern = interner();
  const define = <T extends { id: string }, X = never>(name: string, noun: string, schema: z.ZodType<T>, more: Extras<T, X> = {}) =>
    collection(dir, options, { name, noun, schema, intern, ...more });
  const collections = {
    customers: define('customers', 'customer', customerSchema, { unique: { label: 'domain', keys: (customer) => customer.domains }, repeated: ['ownerId', 'createdBy'] }),
    contacts: define('contacts', 'contact', contactSchema, { unique: { label: 'email', keys: (contact) => [contact.email] }, repeated: ['createdBy'] }),
    // Interactions are most of the data: their snapshot is scanned by a worker thread while this one
    // reads the rest, and kept as its lines rather than as a million objects.
    // An index of the snapshot, saved beside it, spares the next start the scan.
    interactions: define<Interaction, InteractionIndex>('interactions', 'interaction', interactionSchema, {
      repeated: ['loggedBy', 'participants'],
      scan: (path) => scanInWorker(path, indexPathOf(path), options.scanFromBytes),
      indexing: (path) => interactionIndexing(path, options.scanFromBytes ?? defaultScanFromBytes, options.log),
    }),
    reminders: define('reminders', 'reminder', reminderSchema),
    members: define('members', 'member', memberSchema),
    deliveries: define('deliveries', 'delivery', deliverySchema),
    suggestions: define('suggestions', 'suggestion', suggestionSchema, { unique: { label: 'domain', keys: (suggestion) => [suggestion.domain] } }),
    blocks: define('blocks', 'block', blockSchema),
    channels: define('channels', 'channel link', channelLinkSchema),
    mailboxes: define('mailboxes', 'mailbox', mailboxSchema),
    polls: define('polls', 'poll', pollSchema),
    cases: define('cases', 'case', caseSchema),
    deals: define('deals', 'deal', dealSchema),
    jobRuns: define('job-runs', 'job run', jobRunSchema),
    digests: define('digests', 'digest', digestSentSchema),
  };
  return collections;
}

/** What sets a collection apart: a value no two records share, fields whose values recur, a faster way to read a large snapshot. */
interface Extras<T, X> {
  unique?: UniqueKey<T>;
  repeated?: readonly (keyof T & string)[];
  scan?: (path: string) => Promise<ScanResult<X>>;
  indexing?: (path: string) => SnapshotIndexing<T, X>;
}

function collection<T extends { id: string }, X>(
  dir: string,
  options: LoadOptions,
  definition: { name: string; noun: string; schema: z.ZodType<T>; intern: Interner } & Extras<T, X>,
): Collection<T, X> {
  const { name, noun, schema, unique, repeated, intern, scan, indexing } = definition;
  const snapshotPath = join(dir, `${name}.json`);
  const parse = recordParser(schema);
  const journalFile = (path: string) => new JournalFile<T>(path, { parse: (buffer) => parseJournal(path, buffer, parse) });
  const records = () => new SnapshotRecords(snapshotPath, { parse, unique, repeated, intern });
  return new Collection<T, X>({
    noun,
    schema,
    unique,
    files: {
      snapshot: new JsonLinesFile<T, X>(snapshotPath, { records, ...(scan && { scan }), ...(indexing && { indexing: indexing(snapshotPath) }) }),
      journal: journalFile(join(dir, `${name}.journal`)),
      frozen: journalFile(join(dir, `${name}.journal.old`)),
    },
    limits: options.limits,
    log: options.log,
  });
}
