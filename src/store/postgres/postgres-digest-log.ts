import { digestId, digestSentSchema, type DigestSent } from '../../domain/digest.ts';
import { ConflictError } from '../../errors.ts';
import type { DigestLog } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const digestsTable: TableDefinition<DigestSent> = {
  name: 'digests',
  noun: 'digest',
  schema: digestSentSchema,
  columns: [{ name: 'member_id', type: 'text', value: (digest) => digest.memberId }],
};

export class PostgresDigestLog implements DigestLog {
  readonly #rows: Rows<DigestSent>;

  constructor(db: Database) {
    this.#rows = new Rows(db, digestsTable);
  }

  get(memberId: string, date: string): Promise<DigestSent | null> {
    return this.#rows.get(digestId(memberId, date));
  }

  async insert(input: DigestSent): Promise<void> {
    const digest = this.#rows.prepare(input);
    try {
      await this.#rows.insert([digest]);
    } catch (error) {
      if (isUniqueViolation(error, 'digests_pkey')) throw new ConflictError(`A digest for ${digest.memberId} on ${digest.date} was already sent.`);
      throw error;
    }
  }

  async remove(memberId: string, date: string): Promise<void> {
    await this.#rows.delete(digestId(memberId, date));
  }
}
