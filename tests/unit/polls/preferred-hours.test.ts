import { describe, expect, it } from 'vitest';
import { nextSendAt } from '../../../src/polls/preferred-hours.ts';

const at = (iso: string) => new Date(iso);
const paris = (from: string, to: string) => ({ from, to, tz: 'Europe/Paris' });

describe('when a poll may go, in the contact\'s preferred hours', () => {
  it('goes now without preferred hours, or inside them', () => {
    expect(nextSendAt(undefined, at('2026-12-02T03:00:00Z'))).toEqual(at('2026-12-02T03:00:00Z'));
    // 10:00 in Paris.
    expect(nextSendAt(paris('09:00', '17:00'), at('2026-12-02T09:00:00Z'))).toEqual(at('2026-12-02T09:00:00Z'));
  });

  it('waits for the start of the window, later the same day or the next', () => {
    // 07:30 in Paris: at 09:00 the same day.
    expect(nextSendAt(paris('09:00', '17:00'), at('2026-12-02T06:30:00Z'))).toEqual(at('2026-12-02T08:00:00Z'));
    // 17:00 in Paris is past the end: at 09:00 the next day.
    expect(nextSendAt(paris('09:00', '17:00'), at('2026-12-02T16:00:00Z'))).toEqual(at('2026-12-03T08:00:00Z'));
  });

  it('reads a window that ends before it starts as running past midnight', () => {
    // 23:30 and 05:00 in Paris are inside 22:00-06:00; 12:00 waits for 22:00.
    expect(nextSendAt(paris('22:00', '06:00'), at('2026-12-02T22:30:00Z'))).toEqual(at('2026-12-02T22:30:00Z'));
    expect(nextSendAt(paris('22:00', '06:00'), at('2026-12-03T04:00:00Z'))).toEqual(at('2026-12-03T04:00:00Z'));
    expect(nextSendAt(paris('22:00', '06:00'), at('2026-12-02T11:00:00Z'))).toEqual(at('2026-12-02T21:00:00Z'));
  });

  it('follows the zone\'s own clock across a change of offset', () => {
    // Paris moves to summer time on 29 March 2026: 09:00 that day is 07:00 UTC.
    expect(nextSendAt(paris('09:00', '17:00'), at('2026-03-28T20:00:00Z'))).toEqual(at('2026-03-29T07:00:00Z'));
  });
});
