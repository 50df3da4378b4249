import type { CollectionName, StoredRecords } from '../store.ts';
import type { Database } from './database.ts';
import { blocksTable } from './postgres-block-repo.ts';
import { casesTable } from './postgres-case-repo.ts';
import { channelLinksTable } from './postgres-channel-link-repo.ts';
import { contactsTable } from './postgres-contact-repo.ts';
import { customersTable } from './postgres-customer-repo.ts';
import { dealsTable } from './postgres-deal-repo.ts';
import { digestsTable } from './postgres-digest-log.ts';
import { jobRunsTable } from './postgres-job-run-repo.ts';
import { interactionsTable } from './postgres-interaction-repo.ts';
import { mailboxesTable } from './postgres-mailbox-repo.ts';
import { membersTable } from './postgres-member-repo.ts';
import { pollsTable } from './postgres-poll-repo.ts';
import { remindersTable } from './postgres-reminder-repo.ts';
import { suggestionsTable } from './postgres-suggestion-repo.ts';
import { Rows } from './rows.ts';

export type RecordCollection = Exclude<CollectionName, 'deliveries'>;

/** The table of each collection that keeps whole records: every one but deliveries. */
export function recordTables(db: Database): { [K in RecordCollection]: Rows<StoredRecords[K]> } {
  return {
    customers: new Rows(db, customersTable),
    contacts: new Rows(db, contactsTable),
    interactions: new Rows(db, interactionsTable),
    reminders: new Rows(db, remindersTable),
    members: new Rows(db, membersTable),
    suggestions: new Rows(db, suggestionsTable),
    blocks: new Rows(db, blocksTable),
    channels: new Rows(db, channelLinksTable),
    mailboxes: new Rows(db, mailboxesTable),
    polls: new Rows(db, pollsTable),
    cases: new Rows(db, casesTable),
    deals: new Rows(db, dealsTable),
    jobRuns: new Rows(db, jobRunsTable),
    digests: new Rows(db, digestsTable),
  };
}
