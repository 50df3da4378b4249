import { describe, expect, it } from 'vitest';
import { plural, relative } from '../../../src/commands/render/format.ts';

const now = new Date('2026-11-22T12:00:00Z');
const ago = (minutes: number) => relative(new Date(now.getTime() - minutes * 60_000), now);
const day = 24 * 60;

describe('relative', () => {
  it('says how long ago in minutes and hours within a day, and from a day on in the words of the insights', () => {
    expect(ago(0.5)).toBe('just now');
    expect(ago(5)).toBe('5 minutes ago');
    expect(ago(95)).toBe('1 hour ago');
    expect(ago(3 * day)).toBe('3 days ago');
    // 53 days: the card's "no contact for 8 weeks" says the same, where this once said "1 month ago".
    expect(ago(53 * day)).toBe('8 weeks ago');
    expect(ago(200 * day)).toBe('7 months ago');
    // Never "24 months" beside "2 years".
    expect(ago(720 * day)).toBe('2 years ago');
    expect(ago(700 * day)).toBe('23 months ago');
    expect(relative(new Date(now.getTime() + 95 * 60_000), now)).toBe('in 1 hour');
    expect(relative(new Date(now.getTime() + 3.9 * day * 60_000), now)).toBe('in 4 days');
  });
});

describe('plural', () => {
  it('groups the thousands of a count, as on a card at a million interactions', () => {
    expect(plural(1, 'interaction')).toBe('1 interaction');
    expect(plural(999, 'interaction')).toBe('999 interactions');
    expect(plural(1851, 'interaction')).toBe('1,851 interactions');
    expect(plural(25_900, 'customer')).toBe('25,900 customers');
  });
});
