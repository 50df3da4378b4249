import { describe, expect, it } from 'vitest';
import { sortInTurns } from '../../src/sort-in-turns.ts';

describe('sortInTurns', () => {
  // Pseudo-random keys with many ties, each tagged with its place, to see that ties keep their order.
  const items = Array.from({ length: 25_000 }, (_, i) => ({ key: (i * 7919) % 1013, at: i }));
  const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

  it('sorts as Array.prototype.sort does, ties in their first order, over many turns', async () => {
    expect(await sortInTurns(items, byKey, 1000)).toEqual([...items].sort(byKey));
    expect(await sortInTurns([], byKey, 1000)).toEqual([]);
  });

  it('lets other work run between its turns', async () => {
    let finished = false;
    let ranMeanwhile = false;
    const sorting = sortInTurns(items, byKey, 1000).then(() => {
      finished = true;
    });
    setImmediate(() => {
      ranMeanwhile = !finished;
    });
    await sorting;
    expect(ranMeanwhile).toBe(true);
  });
});
