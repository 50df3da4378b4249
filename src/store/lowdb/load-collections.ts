import { join } from 'node:path';
import type { z } from 'zod';
import { blockSchema } from '../../domain/block.ts';
import { channelLinkSchema } from '../../domain/channel-link.ts';
import { contactSchema } from '../../domain/contact.ts';
import { customerSchema } from '../../domain/customer.ts';
import { interactionSchema } from '../../domain/interaction.ts';
import { mailboxSchema } from '../../domain/mailbox.ts';
import { memberSchema } from '../../domain/member.ts';
import { reminderSchema } from '../../domain/reminder.ts';
import { suggestionSchema } from '../../domain/suggestion.ts';
import { StoreInvalidError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { Collection, type CompactionLimits } from './collection.ts';
import { JournalFile } from './journal-file.ts';
import { JsonLinesFile } from './json-lines-file.ts';
import { deliverySchema } from './lowdb-delivery-log.ts';
import { parseJournal } from './parse-journal.ts';
import { parseRecords, type UniqueKey } from './parse-records.ts';

export interface LoadOptions {
  readonly limits: CompactionLimits;
  readonly log: Logger;
}

/**
 * Reads and validates every file of the folder. If any file has a problem,
 * rejects with StoreInvalidError listing them all and hands out no
 * collection, so nothing can be written over the files.
 */
export async function loadCollections(dir: string, options: LoadOptions) {
  const define = <T extends { id: string }>(name: string, noun: string, schema: z.ZodType<T>, unique?: UniqueKey<T>) =>
    collection(dir, options, { name, noun, schema, unique });
  const collections = {
    customers: define('customers', 'customer', customerSchema, { label: 'domain', keys: (customer) => customer.domains }),
    contacts: define('contacts', 'contact', contactSchema, { label: 'email', keys: (contact) => [contact.email] }),
    interactions: define('interactions', 'interaction', interactionSchema),
    reminders: define('reminders', 'reminder', reminderSchema),
    members: define('members', 'member', memberSchema),
    deliveries: define('deliveries', 'delivery', deliverySchema),
    suggestions: define('suggestions', 'suggestion', suggestionSchema, { label: 'domain', keys: (suggestion) => [suggestion.domain] }),
    blocks: define('blocks', 'block', blockSchema),
    channels: define('channels', 'channel link', channelLinkSchema),
    mailboxes: define('mailboxes', 'mailbox', mailboxSchema),
  };
  const all: readonly { read(): Promise<void>; start(): Promise<void> }[] = Object.values(collections);
  const settled = await Promise.allSettled(all.map((each) => each.read()));
  const failures: unknown[] = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const unexpected = failures.find((failure) => !(failure instanceof StoreInvalidError));
  if (unexpected !== undefined) throw unexpected;
  const problems = failures.flatMap((failure) => (failure as StoreInvalidError).problems);
  if (problems.length > 0) throw new StoreInvalidError(problems);
  for (const each of all) await each.start();
  return collections;
}

function collection<T extends { id: string }>(
  dir: string,
  options: LoadOptions,
  definition: { name: string; noun: string; schema: z.ZodType<T>; unique: UniqueKey<T> | undefined },
): Collection<T> {
  const { name, noun, schema, unique } = definition;
  const snapshotPath = join(dir, `${name}.json`);
  const journalFile = (path: string) => new JournalFile<T>(path, { parse: (buffer) => parseJournal(path, buffer, schema) });
  return new Collection<T>({
    noun,
    schema,
    unique,
    files: {
      snapshot: new JsonLinesFile<T>(snapshotPath, { parse: (data) => parseRecords(snapshotPath, data, schema, unique) }),
      journal: journalFile(join(dir, `${name}.journal`)),
      frozen: journalFile(join(dir, `${name}.journal.old`)),
    },
    limits: options.limits,
    log: options.log,
  });
}
