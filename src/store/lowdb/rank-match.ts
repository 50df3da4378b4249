import { breathe } from '../../breathe.ts';

/** Records looked at between turns of the event loop: a few milliseconds' work. */
const recordsPerTurn = 20_000;

/**
 * How well `needle` matches `haystack`: 0 exact, 1 prefix, 2 substring, null
 * not at all. Both sides are expected lower-cased.
 */
function rankIn(needle: string, haystack: string): number | null {
  return haystack === needle ? 0 : haystack.startsWith(needle) ? 1 : haystack.includes(needle) ? 2 : null;
}

/**
 * A search over every record: each is offered with the texts it is found by,
 * and the best `limit` are kept, by rank (exact, prefix, substring) then
 * `compare`. Matches are kept in order as they come, so that the thousands a
 * short needle finds among a hundred thousand records need no full sort.
 */
export class Matches<T> {
  readonly #needle: string;
  readonly #limit: number;
  readonly #compare: (a: T, b: T) => number;
  readonly #kept: { record: T; rank: number }[] = [];

  /** `needle` as typed; null when it is blank, as nothing then matches. */
  static for<T>(text: string, limit: number, compare: (a: T, b: T) => number): Matches<T> | null {
    const needle = text.trim().toLowerCase();
    return needle === '' || limit <= 0 ? null : new Matches(needle, limit, compare);
  }

  private constructor(needle: string, limit: number, compare: (a: T, b: T) => number) {
    this.#needle = needle;
    this.#limit = limit;
    this.#compare = compare;
  }

  /** `record`, found by its `name` and by `lowerCase` texts (addresses, domains). */
  #offer(record: T, name: string | null, lowerCase: readonly string[]): void {
    let rank = name === null ? null : rankIn(this.#needle, name.toLowerCase());
    for (const text of lowerCase) {
      const other = rankIn(this.#needle, text);
      if (other !== null && (rank === null || other < rank)) rank = other;
    }
    if (rank !== null) this.#keep({ record, rank });
  }

  /**
   * Offers each of `records` by what `texts` gives (its name and lower-case
   * texts, or null to pass it over), a slice at a time: three hundred
   * thousand contacts take tens of milliseconds, which other requests need
   * not wait out in one stretch.
   */
  async offerAll(records: Iterable<T>, texts: (record: T) => [name: string | null, lowerCase: readonly string[]] | null): Promise<T[]> {
    let seen = 0;
    for (const record of records) {
      if (++seen % recordsPerTurn === 0) await breathe();
      const found = texts(record);
      if (found) this.#offer(record, found[0], found[1]);
    }
    return this.best;
  }

  /** The best matches, best first. */
  get best(): T[] {
    return this.#kept.map((match) => match.record);
  }

  #keep(match: { record: T; rank: number }): void {
    const kept = this.#kept;
    const before = (a: { record: T; rank: number }, b: { record: T; rank: number }) => a.rank - b.rank || this.#compare(a.record, b.record);
    if (kept.length === this.#limit && before(match, kept.at(-1)!) >= 0) return;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(kept[middle]!, match) <= 0) low = middle + 1;
      else high = middle;
    }
    kept.splice(low, 0, match);
    if (kept.length > this.#limit) kept.pop();
  }
}
