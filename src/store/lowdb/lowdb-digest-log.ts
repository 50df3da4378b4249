import { digestId, type DigestSent } from '../../domain/digest.ts';
import { ConflictError } from '../../errors.ts';
import type { DigestLog } from '../store.ts';
import type { Collection } from './collection.ts';

export class LowdbDigestLog implements DigestLog {
  readonly #records: Collection<DigestSent>;

  constructor(records: Collection<DigestSent>) {
    this.#records = records;
  }

  async get(memberId: string, date: string): Promise<DigestSent | null> {
    return this.#records.get(digestId(memberId, date)) ?? null;
  }

  async insert(input: DigestSent): Promise<void> {
    const digest = this.#records.prepare(input);
    if (this.#records.get(digest.id)) throw new ConflictError(`A digest for ${digest.memberId} on ${digest.date} was already sent.`);
    await this.#records.set(digest);
  }

  async remove(memberId: string, date: string): Promise<void> {
    const id = digestId(memberId, date);
    if (this.#records.has(id)) await this.#records.delete([id]);
  }
}
