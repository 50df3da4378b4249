import { describe, expect, it } from 'vitest';
import { zoneOffset } from '../../../src/time/zone-offset.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The offset as Intl reads it, asked afresh every time. */
function intlOffset(instant: number, tz: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  if (!formats.has(tz)) formats.set(tz, new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }));
  const parts = formats.get(tz)!.formatToParts(second);
  const read = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(read('year'), read('month') - 1, read('day'), read('hour'), read('minute'), read('second')) - second;
}

const minute = 60_000;

describe('zoneOffset', () => {
  it('agrees with Intl on each side of a change, to the second', () => {
    const changes: [string, string][] = [
      ['Europe/Paris', '2026-03-29T01:00:00Z'],
      ['Europe/Paris', '2026-10-25T01:00:00Z'],
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      // Half an hour, at half past an hour of UTC.
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ];
    for (const [tz, at] of changes) {
      const change = Date.parse(at);
      expect(zoneOffset(change - 1000, tz), `${tz} just before ${at}`).toBe(intlOffset(change - 1000, tz));
      expect(zoneOffset(change - 1, tz), `${tz} 1 ms before ${at}`).toBe(intlOffset(change - 1, tz));
      expect(zoneOffset(change, tz), `${tz} at ${at}`).toBe(intlOffset(change, tz));
      expect(zoneOffset(change - 1000, tz)).not.toBe(zoneOffset(change, tz));
    }
  });

  it('agrees with Intl every quarter of an hour of a year, in zones with and without changes', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (const tz of ['Europe/London', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC']) {
      for (let at = start; at < start + 365 * 24 * 60 * minute; at += 15 * minute + 7_000) {
        const offset = zoneOffset(at, tz);
        if (offset !== intlOffset(at, tz)) expect(offset, `${tz} at ${new Date(at).toISOString()}`).toBe(intlOffset(at, tz));
      }
    }
  });

  it('knows offsets of long ago, with their seconds', () => {
    const at = Date.parse('1890-06-01T12:00:00Z');
    expect(zoneOffset(at, 'Europe/Amsterdam')).toBe(intlOffset(at, 'Europe/Amsterdam'));
    expect(zoneOffset(at, 'Europe/Amsterdam') % minute).not.toBe(0);
  });
});
