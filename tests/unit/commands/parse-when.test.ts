import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../../src/commands/parse-when.ts';

/** Reads `text` as a time said at `now` (an ISO instant) by someone in `tz`. */
function when(text: string, now: string, tz: string) {
  const read = parseWhen(text.split(' '), { now: new Date(now), tz });
  return read && { at: read.at.toISOString(), used: read.used };
}

// Wednesday 2 December 2026, 10:00 in Los Angeles.
const wednesday = '2026-12-02T18:00:00Z';
const la = (text: string) => when(text, wednesday, 'America/Los_Angeles');
const laAt = (text: string) => la(text)?.at;

describe('weekdays', () => {
  it('reads "fri 9am" on a Wednesday in Los Angeles as this Friday, 17:00 UTC', () => {
    expect(la('fri 9am')).toEqual({ at: '2026-12-04T17:00:00.000Z', used: 2 });
  });

  it('takes full and short names, and 09:00 when no time is given', () => {
    expect(laAt('friday')).toBe('2026-12-04T17:00:00.000Z');
    expect(laAt('Fri')).toBe('2026-12-04T17:00:00.000Z');
    expect(laAt('thurs 2pm')).toBe('2026-12-03T22:00:00.000Z');
  });

  it("means today for today's weekday while the time is still ahead, else next week", () => {
    expect(laAt('wed 11am')).toBe('2026-12-02T19:00:00.000Z');
    expect(laAt('wed 9am')).toBe('2026-12-09T17:00:00.000Z');
    expect(laAt('wed')).toBe('2026-12-09T17:00:00.000Z');
  });

  it('reads "next <day>" as the first such day after today', () => {
    expect(laAt('next fri')).toBe('2026-12-04T17:00:00.000Z');
    expect(la('next wed 11am')).toEqual({ at: '2026-12-09T19:00:00.000Z', used: 3 });
    expect(laAt('next week')).toBe('2026-12-07T17:00:00.000Z');
  });
});

describe('days and times', () => {
  it('reads today, tomorrow and tonight', () => {
    expect(la('tomorrow 9am')).toEqual({ at: '2026-12-03T17:00:00.000Z', used: 2 });
    expect(laAt('tomorrow')).toBe('2026-12-03T17:00:00.000Z');
    expect(laAt('today 4pm')).toBe('2026-12-03T00:00:00.000Z');
    expect(laAt('tonight')).toBe('2026-12-03T04:00:00.000Z');
  });

  it('reads a time alone as today when still ahead, else tomorrow', () => {
    expect(laAt('11am')).toBe('2026-12-02T19:00:00.000Z');
    expect(laAt('9am')).toBe('2026-12-03T17:00:00.000Z');
    expect(laAt('14:00')).toBe('2026-12-02T22:00:00.000Z');
    expect(laAt('noon')).toBe('2026-12-02T20:00:00.000Z');
  });

  it('reads the ways people write a time', () => {
    expect(la('9:30am')).toEqual({ at: '2026-12-03T17:30:00.000Z', used: 1 });
    expect(la('9:30 am')).toEqual({ at: '2026-12-03T17:30:00.000Z', used: 2 });
    expect(la('9 pm')).toEqual({ at: '2026-12-03T05:00:00.000Z', used: 2 });
    expect(la('fri at 2pm')).toEqual({ at: '2026-12-04T22:00:00.000Z', used: 3 });
    expect(la('9am fri')).toEqual({ at: '2026-12-04T17:00:00.000Z', used: 2 });
    expect(laAt('12pm')).toBe('2026-12-02T20:00:00.000Z');
    expect(laAt('12am')).toBe('2026-12-03T08:00:00.000Z');
  });

  it('reads ISO dates, alone (09:00) or with a time', () => {
    expect(la('2026-12-24')).toEqual({ at: '2026-12-24T17:00:00.000Z', used: 1 });
    expect(la('2026-12-24 14:00')).toEqual({ at: '2026-12-24T22:00:00.000Z', used: 2 });
  });

  it('keeps an explicit ISO date in the past, for the command to reject', () => {
    expect(laAt('2026-12-01')).toBe('2026-12-01T17:00:00.000Z');
  });

  it('reads a month and day as their next occurrence', () => {
    expect(laAt('dec 24')).toBe('2026-12-24T17:00:00.000Z');
    expect(laAt('24 dec')).toBe('2026-12-24T17:00:00.000Z');
    expect(la('december 24th 3pm')).toEqual({ at: '2026-12-24T23:00:00.000Z', used: 3 });
    expect(laAt('dec 1')).toBe('2027-12-01T17:00:00.000Z');
    expect(laAt('feb 29')).toBe('2028-02-29T17:00:00.000Z');
    expect(la('jan 5 2028')).toEqual({ at: '2028-01-05T17:00:00.000Z', used: 3 });
  });
});

describe('amounts of time', () => {
  it('counts hours and minutes from now', () => {
    expect(la('in 2 hours')).toEqual({ at: '2026-12-02T20:00:00.000Z', used: 3 });
    expect(la('in 30 minutes')).toEqual({ at: '2026-12-02T18:30:00.000Z', used: 3 });
    expect(la('in an hour')).toEqual({ at: '2026-12-02T19:00:00.000Z', used: 3 });
  });

  it('counts days and weeks on the calendar, at the same time of day', () => {
    expect(la('in 3 days')).toEqual({ at: '2026-12-05T18:00:00.000Z', used: 3 });
    expect(la('in 1 week')).toEqual({ at: '2026-12-09T18:00:00.000Z', used: 3 });
    expect(la('in 3 days 9am')).toEqual({ at: '2026-12-05T17:00:00.000Z', used: 4 });
  });

  it('reads the compact forms', () => {
    expect(la('in 3d')).toEqual({ at: '2026-12-05T18:00:00.000Z', used: 2 });
    expect(la('2h')).toEqual({ at: '2026-12-02T20:00:00.000Z', used: 1 });
    expect(la('30m')).toEqual({ at: '2026-12-02T18:30:00.000Z', used: 1 });
  });
});

describe('the longest prefix', () => {
  it('stops where the time ends', () => {
    expect(la('tomorrow 9am send the quote')?.used).toBe(2);
    expect(la('fri call back')?.used).toBe(1);
    expect(la('in 2 hours ping jane')?.used).toBe(3);
  });

  it('reads nothing from words that are not a time', () => {
    expect(la('acme tomorrow')).toBeNull();
    expect(la('send quote')).toBeNull();
    expect(la('3')).toBeNull();
    expect(parseWhen([], { now: new Date(wednesday), tz: 'UTC' })).toBeNull();
  });

  it('rejects impossible dates and times', () => {
    expect(la('2026-02-30')).toBeNull();
    expect(la('2026-13-01 9am')).toBeNull();
    expect(la('25:00')).toBeNull();
    expect(la('9:75')).toBeNull();
    expect(la('13pm')).toBeNull();
    expect(la('tomorrow 25:00')).toBeNull();
    expect(la('feb 30')).toBeNull();
    expect(la('in 0 days')).toBeNull();
  });
});

describe('across daylight-saving changes', () => {
  // Friday 27 March 2026, 10:00 in Paris (UTC+1); clocks go forward on Sunday the 29th.
  const parisMarch = (text: string) => when(text, '2026-03-27T09:00:00Z', 'Europe/Paris')?.at;
  // Friday 23 October 2026, 10:00 in Paris (UTC+2); clocks go back on Sunday the 25th.
  const parisOctober = (text: string) => when(text, '2026-10-23T08:00:00Z', 'Europe/Paris')?.at;
  // Friday 6 March 2026, 12:00 in New York (UTC-5); clocks go forward on Sunday the 8th.
  const newYork = (text: string) => when(text, '2026-03-06T17:00:00Z', 'America/New_York')?.at;

  it('keeps 9am at 9am on the wall clock after the change', () => {
    expect(parisMarch('mon 9am')).toBe('2026-03-30T07:00:00.000Z');
    expect(parisOctober('mon 9am')).toBe('2026-10-26T08:00:00.000Z');
    expect(newYork('mon 9am')).toBe('2026-03-09T13:00:00.000Z');
  });

  it('keeps the time of day for "in 3 days", so the gap is 71 or 73 hours', () => {
    expect(parisMarch('in 3 days')).toBe('2026-03-30T08:00:00.000Z');
    expect(parisOctober('in 3 days')).toBe('2026-10-26T09:00:00.000Z');
    expect(newYork('in 3 days')).toBe('2026-03-09T16:00:00.000Z');
  });

  it('counts hours as elapsed time, not wall-clock time', () => {
    expect(when('in 2 hours', '2026-03-29T00:30:00Z', 'Europe/Paris')?.at).toBe('2026-03-29T02:30:00.000Z');
  });

  it('moves a time that does not exist forward, and takes the first of a repeated one', () => {
    expect(parisMarch('sun 2:30am')).toBe('2026-03-29T01:30:00.000Z');
    expect(parisOctober('sun 2:30am')).toBe('2026-10-25T00:30:00.000Z');
  });
});
