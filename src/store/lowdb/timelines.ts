import type { Interaction } from '../../domain/interaction.ts';
import { compareInstants } from './compare-instants.ts';

/**
 * An interaction on a timeline: the number of the snapshot line that holds
 * it, or the id of one written since. A million line numbers are small
 * integers inside their arrays, where a million ids would be a million
 * strings for the garbage collector to visit at every full collection.
 */
export type TimelineEntry = number | string;

/**
 * Customer id → the linked interactions, oldest first by `occurredAt`, then
 * `loggedAt`, so the usual insert (the newest) is a push and readers walk
 * from the end. Interactions that tie on both instants keep the order they
 * were written in, the later one reading as newer. Unlinked interactions are
 * on no timeline. Entries rather than records: a record kept as a snapshot
 * line is parsed only when it is read.
 */
export class Timelines {
  readonly #byCustomer: Map<string, TimelineEntry[]>;
  readonly #read: (entry: TimelineEntry) => Interaction;
  readonly #idOf: (entry: TimelineEntry) => string;

  /** `byCustomer` already in order; `read` gives the record of an entry, `idOf` its id. */
  constructor(byCustomer: Map<string, TimelineEntry[]>, read: (entry: TimelineEntry) => Interaction, idOf: (entry: TimelineEntry) => string) {
    this.#byCustomer = byCustomer;
    this.#read = read;
    this.#idOf = idOf;
  }

  /** The newest `limit` entries, newest first. */
  newest(customerId: string, limit: number): TimelineEntry[] {
    const timeline = this.#byCustomer.get(customerId) ?? [];
    return timeline.slice(Math.max(0, timeline.length - Math.max(0, limit))).reverse();
  }

  count(customerId: string): number {
    return this.#byCustomer.get(customerId)?.length ?? 0;
  }

  /** Every customer with a timeline, and its length. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [customerId, timeline] of this.#byCustomer) counts.set(customerId, timeline.length);
    return counts;
  }

  add(interaction: Interaction): void {
    if (interaction.unlinkedAt !== null) return;
    let timeline = this.#byCustomer.get(interaction.customerId);
    if (!timeline) this.#byCustomer.set(interaction.customerId, (timeline = []));
    timeline.splice(this.#bound(timeline, interaction, true), 0, interaction.id);
  }

  /**
   * Adds interactions of one customer at once, oldest first, as `add` one
   * after the other would: each goes after those it ties with. Each is
   * placed by a search from where the last one went, first in growing steps,
   * so that a merge of thousands into thousands reads a few records per move
   * rather than a binary search's worth for each.
   */
  addAll(customerId: string, oldestFirst: readonly Interaction[]): void {
    const items = oldestFirst.filter((interaction) => interaction.unlinkedAt === null);
    if (items.length === 0) return;
    const timeline = this.#byCustomer.get(customerId) ?? [];
    const merged: TimelineEntry[] = [];
    let next = 0;
    // The record where the last one went, read once for all that go there too.
    let atNext: Interaction | null = null;
    for (const item of items) {
      if (next < timeline.length && compareTimes((atNext ??= this.#read(timeline[next]!)), item) > 0) {
        merged.push(item.id);
        continue;
      }
      const at = this.#after(timeline, item, next);
      for (; next < at; next++) merged.push(timeline[next]!);
      merged.push(item.id);
      atNext = null;
    }
    for (; next < timeline.length; next++) merged.push(timeline[next]!);
    this.#byCustomer.set(customerId, merged);
  }

  /** Takes a customer's whole timeline off, as when all of it moves to another customer. */
  drop(customerId: string): void {
    this.#byCustomer.delete(customerId);
  }

  remove(interaction: Interaction): void {
    const timeline = this.#byCustomer.get(interaction.customerId);
    if (!timeline || interaction.unlinkedAt !== null) return;
    for (let i = this.#bound(timeline, interaction, false); i < timeline.length; i++) {
      if (this.#idOf(timeline[i]!) === interaction.id) {
        timeline.splice(i, 1);
        break;
      }
      if (compareTimes(this.#read(timeline[i]!), interaction) !== 0) break;
    }
    if (timeline.length === 0) this.#byCustomer.delete(interaction.customerId);
  }

  /** The first position from `from` on whose interaction sorts after `item`. */
  #after(timeline: readonly TimelineEntry[], item: Interaction, from: number): number {
    let low = from;
    let step = 1;
    // Past positions known to sort no later than `item`, in doubling steps, then a binary search in the last one.
    while (low + step - 1 < timeline.length && compareTimes(this.#read(timeline[low + step - 1]!), item) <= 0) {
      low += step;
      step *= 2;
    }
    let high = Math.min(timeline.length, low + step - 1);
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareTimes(this.#read(timeline[middle]!), item) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The first position whose interaction sorts after `item` (`after`), or does not sort before it. */
  #bound(timeline: readonly TimelineEntry[], item: Interaction, after: boolean): number {
    let low = 0;
    let high = timeline.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareTimes(this.#read(timeline[middle]!), item);
      if (order < 0 || (after && order === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Timeline order: by `occurredAt`, then by `loggedAt`. */
function compareTimes(a: Interaction, b: Interaction): number {
  return compareInstants(a.occurredAt, b.occurredAt) || compareInstants(a.loggedAt, b.loggedAt);
}
