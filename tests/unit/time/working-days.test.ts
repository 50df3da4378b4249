import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../../src/time/working-days.ts';

describe('working days', () => {
  it('skips the weekend and keeps the wall-clock time', () => {
    // Friday 4 December 2026, 15:00 in Paris is 14:00 UTC.
    expect(addWorkingDays(new Date('2026-12-04T14:00:00Z'), 2, 'Europe/Paris')).toEqual(new Date('2026-12-08T14:00:00Z'));
    // Monday plus two is Wednesday.
    expect(addWorkingDays(new Date('2026-12-07T14:00:00Z'), 2, 'Europe/Paris')).toEqual(new Date('2026-12-09T14:00:00Z'));
  });

  it('counts a weekend start from the Monday after, at midnight', () => {
    // Saturday 5 December 2026, 10:00 in Los Angeles.
    expect(addWorkingDays(new Date('2026-12-05T18:00:00Z'), 2, 'America/Los_Angeles')).toEqual(new Date('2026-12-09T08:00:00Z'));
  });

  it('reads the weekday in the zone, not in UTC', () => {
    // Friday 23:30 in Los Angeles is already Saturday in UTC: still a Friday start there.
    expect(addWorkingDays(new Date('2026-12-05T07:30:00Z'), 1, 'America/Los_Angeles')).toEqual(new Date('2026-12-08T07:30:00Z'));
  });

  it('keeps local time across a daylight-saving change', () => {
    // Friday 6 March 2026, 09:00 in Los Angeles (PST, UTC-8); clocks go forward on Sunday 8 March.
    expect(addWorkingDays(new Date('2026-03-06T17:00:00Z'), 1, 'America/Los_Angeles')).toEqual(new Date('2026-03-09T16:00:00Z'));
  });
});
