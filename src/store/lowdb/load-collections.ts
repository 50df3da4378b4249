import { join } from 'node:path';
import type { z } from 'zod';
import { contactSchema } from '../../domain/contact.ts';
import { customerSchema } from '../../domain/customer.ts';
import { interactionSchema } from '../../domain/interaction.ts';
import { memberSchema } from '../../domain/member.ts';
import { reminderSchema } from '../../domain/reminder.ts';
import { StoreInvalidError } from '../../errors.ts';
import { Collection } from './collection.ts';
import { deliverySchema } from './lowdb-delivery-log.ts';
import { readRecordFile, type UniqueKey } from './read-record-file.ts';

/**
 * Reads and validates every file of the folder, then builds the collections.
 * If any file has a problem, rejects with StoreInvalidError listing them all
 * and builds nothing, so nothing can be written over the files.
 */
export async function loadCollections(dir: string) {
  const files = await Promise.all([
    load(dir, 'customers', 'customer', customerSchema, { label: 'domain', keys: (customer) => customer.domains }),
    load(dir, 'contacts', 'contact', contactSchema, { label: 'email', keys: (contact) => [contact.email] }),
    load(dir, 'interactions', 'interaction', interactionSchema),
    load(dir, 'reminders', 'reminder', reminderSchema),
    load(dir, 'members', 'member', memberSchema),
    load(dir, 'deliveries', 'delivery', deliverySchema),
  ]);
  const problems = files.flatMap((file) => file.problems);
  if (problems.length > 0) throw new StoreInvalidError(problems);
  const [customers, contacts, interactions, reminders, members, deliveries] = files;
  return {
    customers: customers.build(),
    contacts: contacts.build(),
    interactions: interactions.build(),
    reminders: reminders.build(),
    members: members.build(),
    deliveries: deliveries.build(),
  };
}

async function load<T extends { id: string }>(
  dir: string,
  name: string,
  noun: string,
  schema: z.ZodType<T>,
  unique?: UniqueKey<T>,
): Promise<{ problems: readonly string[]; build(): Collection<T> }> {
  const path = join(dir, `${name}.json`);
  const { records, problems } = await readRecordFile(path, schema, unique);
  return { problems, build: () => new Collection({ path, noun, schema, records }) };
}
