import { assertSameSuggestion, type Suggestion } from '../../domain/suggestion.ts';
import type { SuggestionRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';

/** Suggestions are a few per new work domain seen in mail; `pending` scans. */
export class LowdbSuggestionRepo implements SuggestionRepo {
  readonly #records: Collection<Suggestion>;
  /** Domain → id of the one suggestion for it. */
  readonly #byDomain = new Map<string, string>();

  constructor(records: Collection<Suggestion>) {
    this.#records = records;
    for (const suggestion of records.values()) this.#byDomain.set(suggestion.domain, suggestion.id);
  }

  async get(id: string): Promise<Suggestion | null> {
    return this.#records.get(id) ?? null;
  }

  async byDomain(domain: string): Promise<Suggestion | null> {
    const id = this.#byDomain.get(normalizeAddress(domain));
    return id === undefined ? null : (this.#records.get(id) ?? null);
  }

  /** The most recently seen first; ties by id, so the order is stable. */
  async pending(limit: number): Promise<Suggestion[]> {
    const found: { seen: number; suggestion: Suggestion }[] = [];
    for (const suggestion of this.#records.values()) {
      if (suggestion.status === 'pending') found.push({ seen: Date.parse(suggestion.lastSeenAt), suggestion });
    }
    found.sort((a, b) => b.seen - a.seen || (a.suggestion.id < b.suggestion.id ? -1 : a.suggestion.id > b.suggestion.id ? 1 : 0));
    return found.slice(0, Math.max(0, limit)).map((item) => item.suggestion);
  }

  /** Read, changed and set in memory before the first await: nothing else can come in between. */
  async change(domain: string, change: (known: Suggestion | null) => Suggestion | null): Promise<Suggestion | null> {
    const key = normalizeAddress(domain);
    const id = this.#byDomain.get(key);
    const known = id === undefined ? null : (this.#records.get(id) ?? null);
    const next = change(known);
    if (!next) return known;
    const suggestion = this.#records.prepare({ ...next, domain: normalizeAddresses(next.domain) });
    assertSameSuggestion(key, known, suggestion);
    this.#byDomain.set(key, suggestion.id);
    await this.#records.set(suggestion);
    return suggestion;
  }
}
