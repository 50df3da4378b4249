import { describe, expect, it } from 'vitest';
import { addDays, formatInZone, isValidDate, zonedParts, zonedToInstant } from '../../../src/time/zoned.ts';

const iso = (date: Date) => date.toISOString();

describe('zonedParts', () => {
  it('reads the wall clock and weekday of a zone', () => {
    const instant = new Date('2026-12-02T18:00:00Z');
    expect(zonedParts(instant, 'America/Los_Angeles')).toEqual({ year: 2026, month: 12, day: 2, hour: 10, minute: 0, weekday: 3 });
    expect(zonedParts(instant, 'Asia/Kolkata')).toMatchObject({ day: 2, hour: 23, minute: 30 });
    expect(zonedParts(instant, 'Pacific/Auckland')).toMatchObject({ day: 3, hour: 7, weekday: 4 });
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(zonedParts(new Date('2026-12-02T05:00:00Z'), 'America/New_York')).toMatchObject({ day: 2, hour: 0 });
  });
});

describe('zonedToInstant', () => {
  it('uses winter and summer offsets', () => {
    expect(iso(zonedToInstant({ year: 2026, month: 12, day: 4, hour: 9, minute: 0 }, 'Europe/Paris'))).toBe('2026-12-04T08:00:00.000Z');
    expect(iso(zonedToInstant({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'Europe/Paris'))).toBe('2026-07-01T07:00:00.000Z');
    expect(iso(zonedToInstant({ year: 2026, month: 12, day: 4, hour: 9, minute: 0 }, 'America/Los_Angeles'))).toBe('2026-12-04T17:00:00.000Z');
  });

  it('moves a time skipped by the spring change forward (Paris, 29 March 2026: 02:30 does not exist)', () => {
    const instant = zonedToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Paris');
    expect(iso(instant)).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedParts(instant, 'Europe/Paris')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('takes the earlier of a time repeated by the autumn change (Paris, 25 October 2026: 02:30 happens twice)', () => {
    expect(iso(zonedToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Paris'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('handles the American changes (New York, 8 March and 1 November 2026)', () => {
    expect(iso(zonedToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(zonedToInstant({ year: 2026, month: 3, day: 8, hour: 9, minute: 0 }, 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(zonedToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(zonedToInstant({ year: 2026, month: 11, day: 1, hour: 9, minute: 0 }, 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
  });

  it('is the inverse of zonedParts for every hour of a year with two changes', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let hour = 0; hour < 365 * 24; hour += 7) {
      const instant = new Date(start + hour * 3_600_000);
      for (const tz of ['Europe/Paris', 'America/New_York', 'Australia/Adelaide', 'UTC']) {
        const back = zonedToInstant(zonedParts(instant, tz), tz);
        // In the repeated hour the earlier reading wins, so only check that the wall clock matches.
        expect(zonedParts(back, tz)).toEqual(zonedParts(instant, tz));
      }
    }
  });
});

describe('formatInZone', () => {
  const now = new Date('2026-12-02T18:00:00Z');

  it('writes a short day and time in the reader’s zone', () => {
    expect(formatInZone(new Date('2026-12-04T17:00:00Z'), 'America/Los_Angeles', now)).toBe('Fri 4 Dec, 09:00');
    expect(formatInZone(new Date('2026-12-04T17:00:00Z'), 'Europe/Paris', now)).toBe('Fri 4 Dec, 18:00');
  });

  it('adds the year only when it is not this year', () => {
    expect(formatInZone(new Date('2027-12-03T17:00:00Z'), 'America/Los_Angeles', now)).toBe('Fri 3 Dec 2027, 09:00');
    expect(formatInZone(new Date('2025-12-03T17:00:00Z'), 'America/Los_Angeles', now)).toBe('Wed 3 Dec 2025, 09:00');
  });

  it('judges "this year" in the reader’s zone', () => {
    const newYearInTokyo = new Date('2026-12-31T16:00:00Z');
    expect(formatInZone(new Date('2027-01-02T00:00:00Z'), 'Asia/Tokyo', newYearInTokyo)).toBe('Sat 2 Jan, 09:00');
  });
});

describe('calendar arithmetic', () => {
  it('knows month lengths and leap years', () => {
    expect(isValidDate({ year: 2026, month: 2, day: 28 })).toBe(true);
    expect(isValidDate({ year: 2026, month: 2, day: 29 })).toBe(false);
    expect(isValidDate({ year: 2028, month: 2, day: 29 })).toBe(true);
    expect(isValidDate({ year: 2026, month: 4, day: 31 })).toBe(false);
    expect(isValidDate({ year: 2026, month: 13, day: 1 })).toBe(false);
  });

  it('adds days across months and years', () => {
    expect(addDays({ year: 2026, month: 12, day: 30 }, 3)).toEqual({ year: 2027, month: 1, day: 2 });
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
  });
});
