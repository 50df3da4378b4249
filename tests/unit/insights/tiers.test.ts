import { describe, expect, it } from 'vitest';
import { valueTiers } from '../../../src/insights/tiers.ts';

/** Every customer's tier among `values`. */
const tiers = (values: Record<string, number>) => {
  const tierOf = valueTiers(new Map(Object.entries(values)));
  return Object.fromEntries(Object.keys(values).map((id) => [id, tierOf(id)]));
};

describe('value tiers (80/20)', () => {
  it('puts the fewest customers making up 80% of revenue in A, the next 15% in B, the rest in C', () => {
    // 1,000,000 in all: A = 500k + 200k + 100k (80%), B = 90k + 60k (the next 15%), C = the last 50k.
    const revenue = { globex: 200_000, acme: 500_000, initech: 100_000, umbrella: 90_000, hooli: 60_000, stark: 30_000, wayne: 15_000, wonka: 5_000 };
    expect(tiers(revenue)).toEqual({ globex: 'A', acme: 'A', initech: 'A', umbrella: 'B', hooli: 'B', stark: 'C', wayne: 'C', wonka: 'C' });
  });

  it('puts a customer in A when the ones worth more fall short of 80%, even if it takes the total past it', () => {
    expect(tiers({ big: 70, next: 20, small: 6, tiny: 4 })).toEqual({ big: 'A', next: 'A', small: 'B', tiny: 'C' });
  });

  it('gives customers of equal value the same tier, the higher one', () => {
    // 75 before the 10s: both are A, though A then holds 95%.
    expect(tiers({ big: 75, twinA: 10, twinB: 10, rest: 5 })).toEqual({ big: 'A', twinA: 'A', twinB: 'A', rest: 'C' });
    expect(tiers({ a: 1, b: 1, c: 1, d: 1 })).toEqual({ a: 'A', b: 'A', c: 'A', d: 'A' });
  });

  it('puts customers with no value in C, and everyone in C when nobody has value', () => {
    expect(tiers({ acme: 10, none: 0, refunded: -5 })).toEqual({ acme: 'A', none: 'C', refunded: 'C' });
    expect(tiers({ a: 0, b: 0 })).toEqual({ a: 'C', b: 'C' });
    expect(valueTiers(new Map([['acme', 10]]))('unknown')).toBe('C');
  });

  it('is exact at the 80% and 95% bounds, with values that are not whole', () => {
    // In floating point 0.5 + 0.3 falls just short of 80% of the sum of these: the 0.07s come after exactly 80% all the same.
    expect(tiers({ a: 0.5, b: 0.3, c: 0.07, d: 0.07, e: 0.06 })).toEqual({ a: 'A', b: 'A', c: 'B', d: 'B', e: 'B' });
    expect(tiers({ a: 800, b: 150, c: 50 })).toEqual({ a: 'A', b: 'B', c: 'C' });
  });
});
