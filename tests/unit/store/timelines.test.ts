import { describe, expect, it } from 'vitest';
import { notAMessage, type Interaction } from '../../../src/domain/interaction.ts';
import { Timelines, type TimelineEntry } from '../../../src/store/lowdb/timelines.ts';

/** Interactions at a few distinct instants, so that many tie on both. */
function interactions(prefix: string, count: number, seed: number): Interaction[] {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) % 6;
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    customerId: 'cus_from',
    kind: 'call',
    summary: 'Call',
    occurredAt: `2025-03-0${1 + next()}T10:00:00.000Z`,
    loggedAt: `2025-03-0${1 + next()}T10:00:00.000Z`,
    loggedBy: 'U1',
    linkReason: 'manual',
    permalink: null,
    ...notAMessage,
  }));
}

function timelines(records: Map<string, Interaction>): Timelines {
  const idOf = (entry: TimelineEntry) => String(entry);
  return new Timelines(new Map(), (entry) => records.get(idOf(entry))!, idOf);
}

describe('timelines', () => {
  it('merges many at once exactly as adding them one at a time would, ties included', () => {
    for (const [existing, moving] of [[0, 5], [40, 3], [3, 40], [200, 200], [1, 1]] as const) {
      const there = interactions('t', existing, existing + 1).map((i) => ({ ...i, customerId: 'cus_to' }));
      const moved = interactions('m', moving, moving + 7).map((i) => ({ ...i, customerId: 'cus_to' }));
      const records = new Map([...there, ...moved].map((i) => [i.id, i]));
      const oneByOne = timelines(records);
      const atOnce = timelines(records);
      for (const interaction of there) {
        oneByOne.add(interaction);
        atOnce.add(interaction);
      }
      const oldestFirst = [...moved].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.loggedAt.localeCompare(b.loggedAt));
      for (const interaction of oldestFirst) oneByOne.add(interaction);
      atOnce.addAll('cus_to', oldestFirst);
      expect(atOnce.newest('cus_to', 1000)).toEqual(oneByOne.newest('cus_to', 1000));
      expect(atOnce.count('cus_to')).toBe(existing + moving);
    }
  });

  it('takes a whole timeline off', () => {
    const [only] = interactions('x', 1, 3);
    const records = new Map([[only!.id, only!]]);
    const lines = timelines(records);
    lines.add(only!);
    lines.drop('cus_from');
    expect(lines.count('cus_from')).toBe(0);
    expect(lines.counts()).toEqual(new Map());
  });
});
