import { suggestionSchema, type Suggestion } from '../../domain/suggestion.ts';
import { ConflictError } from '../../errors.ts';
import type { SuggestionRepo } from '../store.ts';
import { isUniqueViolation, type Database } from './database.ts';
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

  /** The unique domain is the database's: of two concurrent suggestions of one domain, one is refused. */
  async put(input: Suggestion): Promise<void> {
    const suggestion = this.#rows.prepare({ ...input, domain: normalizeAddresses(input.domain) });
    try {
      await this.#rows.upsert(suggestion);
    } catch (error) {
      if (!isUniqueViolation(error, 'suggestions_domain_key')) throw error;
      const owner = await this.byDomain(suggestion.domain);
      throw new ConflictError(`The domain ${suggestion.domain} is already suggested${owner ? ` (${owner.id})` : ''}.`);
    }
  }
}
