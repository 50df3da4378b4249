import type { Interaction, MessageSource } from '../../domain/interaction.ts';
import { instantMs } from '../../time/instant.ts';
import { GrowingColumn } from './growing-column.ts';
import { KeyNumbers } from './key-numbers.ts';

/**
 * The indexes of a set of interactions numbered 0, 1, 2… (lines of a
 * snapshot, or records in order):
 * - timelines: customer `keys[g]` has interactions `order[starts[g]]` up to
 *   `order[starts[g + 1]]`, oldest first by `occurredAt`, then `loggedAt`,
 *   ties in number order; unlinked interactions are on no timeline;
 * - messages known by Message-ID, and without one by provider and provider id.
 */
export interface InteractionIndex {
  readonly timelines: { readonly keys: string[]; readonly starts: Int32Array; readonly order: Int32Array };
  readonly messageIds: Grouped;
  readonly providerIds: Grouped;
  /** Each interaction's `occurredAt` and `loggedAt`, in milliseconds, by number. */
  readonly occurred: Float64Array;
  readonly logged: Float64Array;
}

/** What the index keeps of one interaction. */
export interface IndexedFields {
  /** Empty for an unlinked interaction, which is on no timeline. */
  readonly customer: string;
  readonly occurred: number;
  readonly logged: number;
  /** Its Message-ID if it has one, else its provider key (providerKey) if it has a source. */
  readonly messageId: string | null;
  readonly providerKey: string | null;
}

/** `keys[i]` belongs to number `numbers[i]`. */
export interface Grouped {
  readonly keys: string[];
  readonly numbers: number[];
}

/**
 * What the index needs of interactions `first`, `first + 1`…, in flat arrays:
 * what a worker scanning a snapshot posts as it goes. The customer ids come
 * as one string, which is cheap to hand over, and the receiving thread,
 * which has time to spare while it waits, numbers them.
 */
export interface IndexBatch {
  readonly first: number;
  /** Each interaction's customer id, one after the other, empty for an unlinked one; interaction `first + i`'s ends at `customerEnds[i]`. */
  readonly customers: string;
  readonly customerEnds: Int32Array;
  readonly occurred: Float64Array;
  readonly logged: Float64Array;
  readonly messageIds: Grouped;
  readonly providerIds: Grouped;
}

/** Collects an IndexBatch, one interaction at a time. */
export class IndexBatcher {
  #first = 0;
  #customers: string[] = [];
  #length = 0;
  #customerEnds = new GrowingColumn((n) => new Int32Array(n));
  #occurred = new GrowingColumn((n) => new Float64Array(n));
  #logged = new GrowingColumn((n) => new Float64Array(n));
  #messageIds: Grouped = { keys: [], numbers: [] };
  #providerIds: Grouped = { keys: [], numbers: [] };

  get size(): number {
    return this.#customers.length;
  }

  add(interaction: Interaction, n: number): void {
    // The fields one by one, not as IndexedFields: a scan adds a million, and each object would be garbage.
    const source = interaction.source;
    if (source?.messageId) push(this.#messageIds, source.messageId, n);
    else if (source) push(this.#providerIds, providerKey(source), n);
    this.#push(interaction.unlinkedAt === null ? interaction.customerId : '', instantMs(interaction.occurredAt), instantMs(interaction.loggedAt));
  }

  addFields(fields: IndexedFields, n: number): void {
    if (fields.messageId !== null) push(this.#messageIds, fields.messageId, n);
    else if (fields.providerKey !== null) push(this.#providerIds, fields.providerKey, n);
    this.#push(fields.customer, fields.occurred, fields.logged);
  }

  #push(customer: string, occurred: number, logged: number): void {
    this.#customers.push(customer);
    this.#customerEnds.push((this.#length += customer.length));
    this.#occurred.push(occurred);
    this.#logged.push(logged);
  }

  /** The batch so far; the next one starts after it. */
  take(): IndexBatch {
    const batch = {
      first: this.#first,
      customers: this.#customers.join(''),
      customerEnds: this.#customerEnds.take(),
      occurred: this.#occurred.take(),
      logged: this.#logged.take(),
      messageIds: this.#messageIds,
      providerIds: this.#providerIds,
    };
    this.#first += this.#customers.length;
    this.#customers = [];
    this.#length = 0;
    this.#customerEnds = new GrowingColumn((n) => new Int32Array(n));
    this.#occurred = new GrowingColumn((n) => new Float64Array(n));
    this.#logged = new GrowingColumn((n) => new Float64Array(n));
    this.#messageIds = { keys: [], numbers: [] };
    this.#providerIds = { keys: [], numbers: [] };
    return batch;
  }
}

/**
 * Builds an InteractionIndex from batches, in order. At a million records
 * every touch of something scattered through the heap (a record's strings, a
 * growing array per customer) is a cache miss, and misses cost seconds; so
 * what is kept of each interaction goes into flat arrays side by side (its
 * customer's number, its instants), which the grouping and sorting then read.
 */
export class InteractionIndexer {
  /** Customers numbered in order of first appearance; -1 in `customerOf` for an unlinked interaction. */
  readonly #numbers = new KeyNumbers();
  readonly #keys: string[] = [];
  readonly #customerOf = new GrowingColumn((n) => new Int32Array(n));
  readonly #occurred = new GrowingColumn((n) => new Float64Array(n));
  readonly #logged = new GrowingColumn((n) => new Float64Array(n));
  readonly #messageIds: Grouped = { keys: [], numbers: [] };
  readonly #providerIds: Grouped = { keys: [], numbers: [] };

  add(batch: IndexBatch): void {
    const { customers, customerEnds } = batch;
    let start = 0;
    for (const end of customerEnds) {
      let customer = -1;
      if (end > start) {
        customer = this.#numbers.number(customers, start, end);
        if (customer === this.#keys.length) this.#keys.push(customers.slice(start, end));
      }
      this.#customerOf.push(customer);
      start = end;
    }
    this.#occurred.setAt(batch.first, batch.occurred);
    this.#logged.setAt(batch.first, batch.logged);
    append(this.#messageIds, batch.messageIds);
    append(this.#providerIds, batch.providerIds);
  }

  finish(): InteractionIndex {
    const customerOf = this.#customerOf.view();
    // Counting sort by customer, which keeps number order within each.
    const starts = new Int32Array(this.#keys.length + 1);
    for (const customer of customerOf) if (customer >= 0) starts[customer + 1]!++;
    for (let g = 1; g < starts.length; g++) starts[g]! += starts[g - 1]!;
    const order = new Int32Array(starts[starts.length - 1]!);
    const next = starts.slice(0, -1);
    customerOf.forEach((customer, n) => {
      if (customer >= 0) order[next[customer]!++] = n;
    });
    const occurred = this.#occurred.view();
    const logged = this.#logged.view();
    const byTime = (a: number, b: number) => occurred[a]! - occurred[b]! || logged[a]! - logged[b]! || a - b;
    for (let g = 0; g + 1 < starts.length; g++) {
      const group = order.subarray(starts[g]!, starts[g + 1]!);
      if (!isSorted(group, byTime)) group.sort(byTime);
    }
    return { timelines: { keys: this.#keys, starts, order }, messageIds: this.#messageIds, providerIds: this.#providerIds, occurred: this.#occurred.take(), logged: this.#logged.take() };
  }
}

/**
 * The fields of interaction `n` as the index has them, for numbers asked in
 * increasing order: what a snapshot's writer needs of the lines it copies.
 */
export class IndexedLines {
  readonly #index: InteractionIndex;
  readonly #customerOf: Int32Array;
  #messageAt = 0;
  #providerAt = 0;

  constructor(index: InteractionIndex) {
    this.#index = index;
    const { starts, order } = index.timelines;
    this.#customerOf = new Int32Array(index.occurred.length).fill(-1);
    for (let g = 0; g + 1 < starts.length; g++) for (let k = starts[g]!; k < starts[g + 1]!; k++) this.#customerOf[order[k]!] = g;
  }

  fields(n: number): IndexedFields {
    const { timelines, messageIds, providerIds, occurred, logged } = this.#index;
    const customer = this.#customerOf[n]!;
    this.#messageAt = seek(messageIds, this.#messageAt, n);
    this.#providerAt = seek(providerIds, this.#providerAt, n);
    return {
      customer: customer < 0 ? '' : timelines.keys[customer]!,
      occurred: occurred[n]!,
      logged: logged[n]!,
      messageId: messageIds.numbers[this.#messageAt] === n ? messageIds.keys[this.#messageAt]! : null,
      providerKey: providerIds.numbers[this.#providerAt] === n ? providerIds.keys[this.#providerAt]! : null,
    };
  }
}

/** The first place in `grouped` from `at` on whose number is not below `n`. */
function seek(grouped: Grouped, at: number, n: number): number {
  while (at < grouped.numbers.length && grouped.numbers[at]! < n) at++;
  return at;
}

/** The index of interactions numbered in the order given. */
export function indexInteractions(interactions: Iterable<Interaction>): InteractionIndex {
  const batcher = new IndexBatcher();
  let n = 0;
  for (const interaction of interactions) batcher.add(interaction, n++);
  const indexer = new InteractionIndexer();
  indexer.add(batcher.take());
  return indexer.finish();
}

/** What an interaction without a Message-ID is known by. */
export function providerKey(source: MessageSource): string {
  return `${source.provider} ${source.providerId}`;
}

function push(grouped: Grouped, key: string, n: number): void {
  grouped.keys.push(key);
  grouped.numbers.push(n);
}

function append(to: Grouped, from: Grouped): void {
  for (let i = 0; i < from.keys.length; i++) push(to, from.keys[i]!, from.numbers[i]!);
}

function isSorted(group: Int32Array, compare: (a: number, b: number) => number): boolean {
  for (let i = 1; i < group.length; i++) if (compare(group[i - 1]!, group[i]!) > 0) return false;
  return true;
}
