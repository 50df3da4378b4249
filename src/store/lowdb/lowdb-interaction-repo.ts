import type { Interaction, MessageSource } from '../../domain/interaction.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { InteractionRepo } from '../store.ts';
import type { Collection } from './collection.ts';
import { GroupIndex } from './group-index.ts';
import { normalizeAddress, normalizeAddresses } from './normalize-address.ts';

/** An interaction with its instants parsed once, for ordering. */
interface TimelineEntry {
  readonly occurred: number;
  readonly logged: number;
  readonly interaction: Interaction;
}

export class LowdbInteractionRepo implements InteractionRepo {
  readonly #records: Collection<Interaction>;
  /**
   * Customer id → linked interactions, oldest first, so the usual insert (the
   * newest) is a push; readers walk it from the end. Interactions that tie on
   * both instants keep the order they were written in, the later one reading
   * as newer. Unlinked interactions are on no timeline.
   */
  readonly #timelines = new Map<string, TimelineEntry[]>();
  /** `source.messageId` → ids, unlinked interactions included. */
  readonly #byMessageId = new GroupIndex();
  /** For messages without a Message-ID: provider and provider id → ids. */
  readonly #byProviderId = new GroupIndex();

  constructor(records: Collection<Interaction>) {
    this.#records = records;
    for (const interaction of records.values()) {
      if (interaction.unlinkedAt === null) this.#timeline(interaction.customerId).push(entry(interaction));
      this.#indexMessage(interaction);
    }
    for (const timeline of this.#timelines.values()) timeline.sort(compareEntries);
  }

  async get(id: string): Promise<Interaction | null> {
    return this.#records.get(id) ?? null;
  }

  async byCustomer(customerId: string, limit: number): Promise<Interaction[]> {
    const timeline = this.#timelines.get(customerId) ?? [];
    const newest: Interaction[] = [];
    for (let i = timeline.length - 1; i >= 0 && newest.length < limit; i--) {
      const item = timeline[i];
      if (item) newest.push(item.interaction);
    }
    return newest;
  }

  async countByCustomer(customerId: string): Promise<number> {
    return this.#timelines.get(customerId)?.length ?? 0;
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
    if (this.#records.get(interaction.id)) {
      throw new ConflictError(`An interaction with the id ${interaction.id} already exists.`);
    }
    this.#index(interaction);
    await this.#records.set(interaction);
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
      if (ids.has(interaction.id) || this.#records.get(interaction.id)) {
        throw new ConflictError(`An interaction with the id ${interaction.id} already exists.`);
      }
      keys.add(key);
      ids.add(interaction.id);
      fresh.push(interaction);
    }
    if (fresh.length === 0) return [];
    for (const interaction of fresh) this.#index(interaction);
    await this.#records.setMany(fresh);
    return fresh;
  }

  async update(input: Interaction): Promise<void> {
    const interaction = this.#prepare(input);
    const previous = this.#records.get(interaction.id);
    if (!previous) throw new NotFoundError(`There is no interaction with the id ${interaction.id}.`);
    this.#unindex(previous);
    this.#index(interaction);
    await this.#records.set(interaction);
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
    if (interaction.unlinkedAt === null) {
      const item = entry(interaction);
      const timeline = this.#timeline(interaction.customerId);
      timeline.splice(upperBound(timeline, item), 0, item);
    }
    this.#indexMessage(interaction);
  }

  #unindex(interaction: Interaction): void {
    const timeline = this.#timelines.get(interaction.customerId);
    if (timeline && interaction.unlinkedAt === null) {
      const item = entry(interaction);
      for (let i = lowerBound(timeline, item); i < timeline.length && compareEntries(timeline[i]!, item) === 0; i++) {
        if (timeline[i]!.interaction.id !== interaction.id) continue;
        timeline.splice(i, 1);
        break;
      }
      if (timeline.length === 0) this.#timelines.delete(interaction.customerId);
    }
    const source = interaction.source;
    if (source?.messageId) this.#byMessageId.remove(source.messageId, interaction.id);
    else if (source) this.#byProviderId.remove(providerKey(source), interaction.id);
  }

  #indexMessage(interaction: Interaction): void {
    const source = interaction.source;
    if (source?.messageId) this.#byMessageId.add(source.messageId, interaction.id);
    else if (source) this.#byProviderId.add(providerKey(source), interaction.id);
  }

  #timeline(customerId: string): TimelineEntry[] {
    let timeline = this.#timelines.get(customerId);
    if (!timeline) {
      timeline = [];
      this.#timelines.set(customerId, timeline);
    }
    return timeline;
  }
}

/** What makes two interactions one message on one timeline; null for an interaction that is no message. */
function messageKey(interaction: Interaction): string | null {
  const source = interaction.source;
  if (source === null) return null;
  const message = source.messageId !== null ? `id ${source.messageId}` : providerKey(source);
  return `${interaction.customerId}\n${message}`;
}

function providerKey(source: MessageSource): string {
  return `${source.provider} ${source.providerId}`;
}

function entry(interaction: Interaction): TimelineEntry {
  return { occurred: Date.parse(interaction.occurredAt), logged: Date.parse(interaction.loggedAt), interaction };
}

function compareEntries(a: TimelineEntry, b: TimelineEntry): number {
  return a.occurred - b.occurred || a.logged - b.logged;
}

/** The first position whose entry sorts after `item`. */
function upperBound(timeline: readonly TimelineEntry[], item: TimelineEntry): number {
  let low = 0;
  let high = timeline.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEntries(timeline[middle]!, item) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first position whose entry does not sort before `item`. */
function lowerBound(timeline: readonly TimelineEntry[], item: TimelineEntry): number {
  let low = 0;
  let high = timeline.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEntries(timeline[middle]!, item) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
