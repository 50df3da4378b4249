import type { Interaction } from '../../domain/interaction.ts';
import { ConflictError } from '../../errors.ts';
import type { InteractionRepo } from '../store.ts';
import type { Collection } from './collection.ts';

/** An interaction with its instants parsed once, for ordering. */
interface TimelineEntry {
  readonly occurred: number;
  readonly logged: number;
  readonly interaction: Interaction;
}

export class LowdbInteractionRepo implements InteractionRepo {
  readonly #records: Collection<Interaction>;
  /**
   * Customer id → timeline, oldest first, so the usual insert (the newest)
   * is a push; readers walk it from the end. Interactions that tie on both
   * instants keep the order they were written in, the later one reading as newer.
   */
  readonly #timelines = new Map<string, TimelineEntry[]>();

  constructor(records: Collection<Interaction>) {
    this.#records = records;
    for (const interaction of records.values()) this.#timeline(interaction.customerId).push(entry(interaction));
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

  async insert(input: Interaction): Promise<void> {
    const interaction = this.#records.prepare(input);
    if (this.#records.get(interaction.id)) {
      throw new ConflictError(`An interaction with the id ${interaction.id} already exists.`);
    }
    const item = entry(interaction);
    const timeline = this.#timeline(interaction.customerId);
    timeline.splice(upperBound(timeline, item), 0, item);
    await this.#records.set(interaction);
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
    const other = timeline[middle];
    if (other && compareEntries(other, item) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
