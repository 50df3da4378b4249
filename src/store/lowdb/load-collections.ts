import { join } from 'node:path';
import type { z } from 'zod';
import { contactSchema } from '../../domain/contact.ts';
import { customerSchema } from '../../domain/customer.ts';
import { interactionSchema } from '../../domain/interaction.ts';
import { memberSchema } from '../../domain/member.ts';
import { reminderSchema } from '../../domain/reminder.ts';
import { StoreInvalidError } from '../../errors.ts';
import { Collection } from './collection.ts';
import { JsonLinesFile } from './json-lines-file.ts';
import { deliverySchema } from './lowdb-delivery-log.ts';
import { parseRecords, type UniqueKey } from './parse-records.ts';

/**
 * Reads and validates every file of the folder. If any file has a problem,
 * rejects with StoreInvalidError listing them all and hands out no
 * collection, so nothing can be written over the files.
 */
export async function loadCollections(dir: string) {
  const settled = await Promise.allSettled([
    load(dir, 'customers', 'customer', customerSchema, { label: 'domain', keys: (customer) => customer.domains }),
    load(dir, 'contacts', 'contact', contactSchema, { label: 'email', keys: (contact) => [contact.email] }),
    load(dir, 'interactions', 'interaction', interactionSchema),
    load(dir, 'reminders', 'reminder', reminderSchema),
    load(dir, 'members', 'member', memberSchema),
    load(dir, 'deliveries', 'delivery', deliverySchema),
  ]);
  const failures: unknown[] = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const unexpected = failures.find((failure) => !(failure instanceof StoreInvalidError));
  if (unexpected !== undefined) throw unexpected;
  const problems = failures.flatMap((failure) => (failure as StoreInvalidError).problems);
  if (problems.length > 0) throw new StoreInvalidError(problems);
  const [customers, contacts, interactions, reminders, members, deliveries] = settled;
  return {
    customers: loaded(customers),
    contacts: loaded(contacts),
    interactions: loaded(interactions),
    reminders: loaded(reminders),
    members: loaded(members),
    deliveries: loaded(deliveries),
  };
}

async function load<T extends { id: string }>(
  dir: string,
  name: string,
  noun: string,
  schema: z.ZodType<T>,
  unique?: UniqueKey<T>,
): Promise<Collection<T>> {
  const path = join(dir, `${name}.json`);
  const file = new JsonLinesFile<T>(path, { parse: (data) => parseRecords(path, data, schema, unique) });
  const collection = new Collection({ noun, schema, file });
  await collection.read();
  return collection;
}

function loaded<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
