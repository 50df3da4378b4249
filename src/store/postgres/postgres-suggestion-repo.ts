import { assertSameSuggestion, suggestionSchema, type Suggestion } from '../../domain/suggestion.ts';
import type { SuggestionRepo } from '../store.ts';
import type { Database } from './database.ts';
import { lockSpace } from './lock-space.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import { Rows, type TableDefinition } from './rows.ts';

export const suggestionsTable: TableDefinition<Suggestion> = {
  name: 'suggestions',
  noun: 'suggestion',
  schema: suggestionSchema,
  columns: [
    { name: 'domain', type: 'text', value: (suggestion) => suggestion.domain },
    { name: 'pending', type: 'boolean', value: (suggestion) => suggestion.status === 'pending' },
    { name: 'last_seen_at', type: 'timestamptz', value: (suggestion) => suggestion.lastSeenAt },
  ],
};

export class PostgresSuggestionRepo implements SuggestionRepo {
  readonly #rows: Rows<Suggestion>;

  constructor(db: Database) {
    this.#rows = new Rows(db, suggestionsTable);
  }

  get(id: string): Promise<Suggestion | null> {
    return this.#rows.get(id);
  }

  async byDomain(domain: string): Promise<Suggestion | null> {
    return (await this.#rows.select('where domain = $1', [normalizeAddress(domain)]))[0] ?? null;
  }

  /** The most recently seen first; ties by id, so the order is stable. */
  pending(limit: number): Promise<Suggestion[]> {
    return this.#rows.select('where pending order by last_seen_at desc, id limit $1', [Math.max(0, limit)]);
  }

  /**
   * In one transaction that first takes an advisory lock on the domain: a
   * change on another instance waits for this one to commit, then reads
   * what it wrote.
   */
  change(domain: string, change: (known: Suggestion | null) => Suggestion | null): Promise<Suggestion | null> {
    const key = normalizeAddress(domain);
    return this.#rows.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [lockSpace.suggestions, key]);
      const known = (await this.#rows.select('where domain = $1', [key], tx))[0] ?? null;
      const next = change(known);
      if (!next) return known;
      const suggestion = this.#rows.prepare({ ...next, domain: normalizeAddresses(next.domain) });
      assertSameSuggestion(key, known, suggestion);
      await this.#rows.upsert(suggestion, tx);
      return suggestion;
    });
  }
}
