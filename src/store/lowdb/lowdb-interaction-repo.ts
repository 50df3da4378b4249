import type { Interaction, MessageSource } from '../../domain/interaction.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { InteractionRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { compareInstants } from './compare-instants.ts';
import { instantMs } from '../../time/instant.ts';
import { GroupIndex } from './group-index.ts';
import { indexInteractions, providerKey, type Grouped, type InteractionIndex } from './interaction-index.ts';
import { normalizeAddress, normalizeAddresses } from '../normalize-address.ts';
import type { SnapshotLines } from './snapshot-lines.ts';
import { Timelines, type TimelineEntry } from './timelines.ts';

export class LowdbInteractionRepo implements InteractionRepo {
  readonly #records: Collection<Interaction, InteractionIndex>;
  readonly #timelines: Timelines;
  /** The record of a timeline entry, kept among the recently read: a customer's newest, for a card. */
  readonly #read: (entry: TimelineEntry) => Interaction;
  /** The same, for a pass over many (a binary search, a digest's reading): not kept, so as not to push out what a card will read again. */
  readonly #scan: (entry: TimelineEntry) => Interaction;
  /** `source.messageId` → ids, unlinked interactions included. */
  readonly #byMessageId = new GroupIndex();
  /** For messages without a Message-ID: provider and provider id → ids. */
  readonly #byProviderId = new GroupIndex();
  /** Customer id → its unlinked interactions, which no timeline holds; few, since a rep unlinks by hand. */
  readonly #unlinked = new GroupIndex();

  /**
   * The indexes come from the scan of the snapshot when it was kept as lines,
   * with the records written since added; else they are built here.
   */
  constructor(records: Collection<Interaction, InteractionIndex>) {
    this.#records = records;
    const scanned = records.scanned;
    const { index, idOf, current, count } = scanned
      ? {
          index: scanned.index,
          count: scanned.records.lines.count,
          idOf: (n: number) => scanned.records.lines.ids.id(n),
          // A line the journal replaced or deleted is not the record any more; what replaced it is added below.
          current: (n: number) => scanned.records.isCurrent(n),
        }
      : { ...indexAll(records.values()), current: () => true };
    // A timeline holds the lines of a snapshot kept as lines by number, anything else by id.
    const entryOf = scanned ? (n: number) => n : idOf;
    const byCustomer = new Map<string, TimelineEntry[]>();
    const { keys, starts, order } = index.timelines;
    for (let g = 0; g < keys.length; g++) {
      const timeline: TimelineEntry[] = [];
      for (let k = starts[g]!; k < starts[g + 1]!; k++) if (current(order[k]!)) timeline.push(entryOf(order[k]!));
      if (timeline.length > 0) byCustomer.set(keys[g]!, timeline);
    }
    const idOfEntry = (entry: TimelineEntry) => (typeof entry === 'string' ? entry : idOf(entry));
    // A line leaves its timeline when it is replaced, so a line on one is the record as read; the check costs next to nothing.
    const reader = (line: (lines: SnapshotLines<Interaction>, n: number) => Interaction) => (entry: TimelineEntry) =>
      typeof entry === 'number' && scanned?.records.isCurrent(entry) ? line(scanned.records.lines, entry) : records.get(idOfEntry(entry))!;
    this.#read = reader((lines, n) => lines.remember(n));
    this.#scan = reader((lines, n) => lines.record(n));
    this.#timelines = new Timelines(byCustomer, this.#scan, idOfEntry);
    fill(this.#byMessageId, index.messageIds, idOf, current);
    fill(this.#byProviderId, index.providerIds, idOf, current);
    for (const id of offTimelines(index, count, idOf, current)) this.#unlinked.add(records.get(id)!.customerId, id);
    if (scanned) for (const interaction of scanned.records.objects()) this.#index(interaction);
  }

  async get(id: string): Promise<Interaction | null> {
    return this.#records.get(id) ?? null;
  }

  async byCustomer(customerId: string, limit: number): Promise<Interaction[]> {
    return this.#timelines.newest(customerId, limit).map(this.#read);
  }

  async countByCustomer(customerId: string): Promise<number> {
    return this.#timelines.count(customerId);
  }

  async recentByCustomers(customerIds: readonly string[], since: Date): Promise<Interaction[]> {
    const cutoff = since.getTime();
    const found: Interaction[] = [];
    for (const customerId of new Set(customerIds)) {
      // Newest first: read more of the timeline only while it is still recent.
      for (let read = 0, batch = 1; ; batch *= 4) {
        const entries = this.#timelines.newest(customerId, read + batch).slice(read);
        const recent = entries.map(this.#scan).filter((interaction) => instantMs(interaction.occurredAt) >= cutoff);
        found.push(...recent);
        read += entries.length;
        if (recent.length < entries.length || entries.length < batch) break;
      }
    }
    return found.sort((a, b) => compareInstants(b.occurredAt, a.occurredAt) || compareInstants(b.loggedAt, a.loggedAt));
  }

  async countsByCustomer(): Promise<Map<string, number>> {
    return this.#timelines.counts();
  }

  async byMessageId(messageId: string): Promise<Interaction[]> {
    const found: Interaction[] = [];
    for (const id of this.#byMessageId.ids(normalizeAddress(messageId))) {
      const interaction = this.#records.get(id);
      if (interaction) found.push(interaction);
    }
    return found;
  }

  async insert(input: Interaction): Promise<void> {
    const interaction = this.#prepare(input);
    if (this.#records.has(interaction.id)) {
      throw new ConflictError(`An interaction with the id ${interaction.id} already exists.`);
    }
    // In memory at once (the promise is for the disk), so that the timelines can read it as it is added.
    const written = this.#records.set(interaction);
    this.#index(interaction);
    await written;
  }

  /**
   * Everything is checked before the first await, and the indexes take the
   * new interactions at once, so a concurrent call sees them as known.
   */
  async insertMessages(inputs: Interaction[]): Promise<Interaction[]> {
    const prepared = inputs.map((input) => this.#prepare(input));
    const fresh: Interaction[] = [];
    const keys = new Set<string>();
    const ids = new Set<string>();
    for (const interaction of prepared) {
      const key = messageKey(interaction);
      if (key === null) throw new Error(`insertMessages logs messages; the interaction ${interaction.id} has no source.`);
      if (keys.has(key) || this.#isKnown(interaction)) continue;
      if (ids.has(interaction.id) || this.#records.has(interaction.id)) {
        throw new ConflictError(`An interaction with the id ${interaction.id} already exists.`);
      }
      keys.add(key);
      ids.add(interaction.id);
      fresh.push(interaction);
    }
    if (fresh.length === 0) return [];
    const written = this.#records.setMany(fresh);
    for (const interaction of fresh) this.#index(interaction);
    await written;
    return fresh;
  }

  async update(input: Interaction): Promise<void> {
    const interaction = this.#prepare(input);
    const previous = this.#records.get(interaction.id);
    if (!previous) throw new NotFoundError(`There is no interaction with the id ${interaction.id}.`);
    this.#unindex(previous);
    const written = this.#records.set(interaction);
    this.#index(interaction);
    await written;
  }

  /**
   * Memory and indexes change at once, before the first await, as in
   * `insertMessages`; on disk it is two appends (the deletions, the moves),
   * and a second call after an interruption finds what is left and finishes.
   */
  async moveCustomer(fromId: string, toId: string): Promise<{ moved: number; alreadyThere: number }> {
    // Oldest first, so that moved interactions that tie on both instants keep their order.
    const linked = this.#timelines.newest(fromId, this.#timelines.count(fromId)).reverse().map(this.#scan);
    const previous = [...linked, ...[...this.#unlinked.ids(fromId)].map((id) => this.#records.get(id)!)];
    const duplicates: Interaction[] = [];
    const moved: Interaction[] = [];
    for (const interaction of previous) {
      if (this.#isKnown({ ...interaction, customerId: toId })) duplicates.push(interaction);
      else moved.push(this.#records.prepare({ ...interaction, customerId: toId }));
    }
    // The whole timeline moves: taken off and merged in at once, not an interaction at a time.
    this.#timelines.drop(fromId);
    for (const interaction of previous) this.#unindexOffTimeline(interaction);
    const writes: Promise<void>[] = [];
    if (duplicates.length > 0) writes.push(this.#records.delete(duplicates.map((interaction) => interaction.id)));
    if (moved.length > 0) writes.push(this.#records.setMany(moved));
    this.#timelines.addAll(toId, moved);
    for (const interaction of moved) this.#indexOffTimeline(interaction);
    await Promise.all(writes);
    return { moved: moved.length, alreadyThere: duplicates.length };
  }

  /** Addresses and the Message-ID lower-cased, as lookups use them. */
  #prepare(input: Interaction): Interaction {
    const source: MessageSource | null | undefined = input.source
      ? { ...input.source, messageId: normalizeAddresses(input.source.messageId) }
      : input.source;
    return this.#records.prepare({ ...input, participants: normalizeAddresses(input.participants), source });
  }

  /** True if this message is already on that customer's timeline, unlinked or not. */
  #isKnown(interaction: Interaction): boolean {
    const source = interaction.source;
    if (source === null) return false;
    const ids = source.messageId !== null ? this.#byMessageId.ids(source.messageId) : this.#byProviderId.ids(providerKey(source));
    for (const id of ids) {
      if (this.#records.get(id)?.customerId === interaction.customerId) return true;
    }
    return false;
  }

  #index(interaction: Interaction): void {
    this.#timelines.add(interaction);
    this.#indexOffTimeline(interaction);
  }

  #unindex(interaction: Interaction): void {
    this.#timelines.remove(interaction);
    this.#unindexOffTimeline(interaction);
  }

  /** Every index but the timelines. */
  #indexOffTimeline(interaction: Interaction): void {
    if (interaction.unlinkedAt !== null) this.#unlinked.add(interaction.customerId, interaction.id);
    const source = interaction.source;
    if (source?.messageId) this.#byMessageId.add(source.messageId, interaction.id);
    else if (source) this.#byProviderId.add(providerKey(source), interaction.id);
  }

  #unindexOffTimeline(interaction: Interaction): void {
    if (interaction.unlinkedAt !== null) this.#unlinked.remove(interaction.customerId, interaction.id);
    const source = interaction.source;
    if (source?.messageId) this.#byMessageId.remove(source.messageId, interaction.id);
    else if (source) this.#byProviderId.remove(providerKey(source), interaction.id);
  }
}

/** What makes two interactions one message on one timeline; null for an interaction that is no message. */
function messageKey(interaction: Interaction): string | null {
  const source = interaction.source;
  if (source === null) return null;
  const message = source.messageId !== null ? `id ${source.messageId}` : providerKey(source);
  return `${interaction.customerId}\n${message}`;
}

/** Indexes records in the order given, numbering them as InteractionIndex does. */
function indexAll(interactions: Iterable<Interaction>): { index: InteractionIndex; idOf: (n: number) => string; count: number } {
  const all = Array.from(interactions);
  return { index: indexInteractions(all), idOf: (n) => all[n]!.id, count: all.length };
}

/** The ids of interactions 0 to `count - 1` that are on no timeline: the unlinked ones. */
function* offTimelines(index: InteractionIndex, count: number, idOf: (n: number) => string, current: (n: number) => boolean): Generator<string> {
  const linked = new Uint8Array(count);
  for (const n of index.timelines.order) linked[n] = 1;
  for (let n = 0; n < count; n++) if (linked[n] === 0 && current(n)) yield idOf(n);
}

function fill(index: GroupIndex, grouped: Grouped, idOf: (n: number) => string, current: (n: number) => boolean): void {
  for (let i = 0; i < grouped.keys.length; i++) {
    const n = grouped.numbers[i]!;
    if (current(n)) index.add(grouped.keys[i]!, idOf(n));
  }
}
