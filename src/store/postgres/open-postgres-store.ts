import type { Customer } from '../../domain/customer.ts';
import { consoleLogger, type Logger } from '../../logger.ts';
import type { CollectionName, Delivery, Store, StoredRecords } from '../store.ts';
import { Database } from './database.ts';
import { migrateSchema } from './migrate-schema.ts';
import { migrations } from './migrations.ts';
import { PostgresBlockRepo } from './postgres-block-repo.ts';
import { PostgresCaseRepo } from './postgres-case-repo.ts';
import { PostgresChannelLinkRepo } from './postgres-channel-link-repo.ts';
import { PostgresContactRepo } from './postgres-contact-repo.ts';
import { insertDomains, PostgresCustomerRepo } from './postgres-customer-repo.ts';
import { PostgresDealRepo } from './postgres-deal-repo.ts';
import { PostgresDigestLog } from './postgres-digest-log.ts';
import { PostgresJobRunRepo } from './postgres-job-run-repo.ts';
import { PostgresDeliveryLog } from './postgres-delivery-log.ts';
import { PostgresInteractionRepo } from './postgres-interaction-repo.ts';
import { PostgresMailboxRepo } from './postgres-mailbox-repo.ts';
import { PostgresMemberRepo } from './postgres-member-repo.ts';
import { PostgresPollRepo } from './postgres-poll-repo.ts';
import { PostgresReminderRepo } from './postgres-reminder-repo.ts';
import { PostgresSuggestionRepo } from './postgres-suggestion-repo.ts';
import { recordTables, type RecordCollection } from './record-tables.ts';
import type { Rows } from './rows.ts';
import { JobLocks } from './run-once.ts';
import { unreachable } from './unreachable.ts';

export interface PostgresStoreOptions {
  /** Where a lost connection and the migrations applied at start are reported; the console by default. */
  readonly log?: Logger;
}

/** The Store, and what copying another store into it needs. */
export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  /** How many records a collection holds. */
  count(collection: CollectionName): Promise<number>;
  /**
   * Writes records copied from another store, as they are, in one
   * transaction. Meant for an empty database (`npm run crm -- migrate`): a
   * record that is already there fails the whole batch.
   */
  importRecords<K extends CollectionName>(collection: K, records: readonly StoredRecords[K][]): Promise<void>;
  /**
   * Gathers the query planner's statistics on every table. After a bulk
   * import PostgreSQL has none until autovacuum comes by, and meanwhile plans
   * the card's and the digest's queries blind, several times slower.
   */
  analyze(): Promise<void>;
}

/**
 * Opens the database at `url` as a Store, after bringing its schema up to
 * date (see migrate-schema.ts). Several guanxi instances may open one
 * database at once: every rule the contract states (unique ids, domains and
 * addresses, a message once per timeline, a delivery seen once) is a
 * constraint of the database, so it holds across them.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const log = options.log ?? consoleLogger;
  const db = new Database(url, log);
  try {
    const { applied, left } = await migrateSchema(db, migrations);
    if (applied.length > 0) log.info(`PostgreSQL schema migrated: ${applied.map((version) => `#${version}`).join(', ')} applied`);
    for (const { migration, reason } of left) {
      log.warn(`PostgreSQL refused schema step #${migration.version} (${migration.name}): ${reason}. guanxi works without it, only slower; it is tried again at the next start.`);
    }
  } catch (error) {
    await db.close();
    throw unreachable(error, url) ?? error;
  }
  const tables = recordTables(db);
  const deliveries = new PostgresDeliveryLog(db);
  const locks = new JobLocks(db);
  return {
    kind: 'postgres',
    customers: new PostgresCustomerRepo(db),
    contacts: new PostgresContactRepo(db),
    interactions: new PostgresInteractionRepo(db),
    reminders: new PostgresReminderRepo(db),
    members: new PostgresMemberRepo(db),
    deliveries,
    suggestions: new PostgresSuggestionRepo(db),
    blocks: new PostgresBlockRepo(db),
    channels: new PostgresChannelLinkRepo(db),
    mailboxes: new PostgresMailboxRepo(db),
    polls: new PostgresPollRepo(db),
    cases: new PostgresCaseRepo(db),
    deals: new PostgresDealRepo(db),
    jobRuns: new PostgresJobRunRepo(db),
    digests: new PostgresDigestLog(db),
    runOnce: (name, work) => locks.runOnce(name, work),
    records<K extends CollectionName>(collection: K): AsyncIterable<StoredRecords[K]> {
      if (collection === 'deliveries') return deliveries.all() as AsyncIterable<StoredRecords[K]>;
      return tables[collection as RecordCollection].all() as AsyncIterable<StoredRecords[K]>;
    },
    count(collection) {
      return collection === 'deliveries' ? deliveries.count() : tables[collection].count();
    },
    async importRecords(collection, records) {
      if (records.length === 0) return;
      await db.transaction(async (tx) => {
        if (collection === 'deliveries') return deliveries.insertMany(records as readonly Delivery[], tx);
        const rows = tables[collection as RecordCollection] as unknown as Rows<{ readonly id: string }>;
        await rows.insert(
          records.map((record) => rows.prepare(record)),
          { on: tx },
        );
        if (collection === 'customers') await insertDomains(tx, records as readonly Customer[]);
      });
    },
    async analyze() {
      await db.query('analyze');
    },
    async close() {
      await locks.close();
      await db.close();
    },
  };
}
