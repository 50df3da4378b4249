import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../../src/time/working-days.ts';

const la = 'America/Los_Angeles';

describe('working days', () => {
  it('count Monday to Friday, at the same time of day', () => {
    // Wednesday 2 December 2026, 09:00 in Los Angeles.
    const wednesday = new Date('2026-12-02T17:00:00Z');
    expect(addWorkingDays(wednesday, 1, la)).toEqual(new Date('2026-12-03T17:00:00Z'));
    expect(addWorkingDays(wednesday, 2, la)).toEqual(new Date('2026-12-04T17:00:00Z'));
    expect(addWorkingDays(wednesday, 5, la)).toEqual(new Date('2026-12-09T17:00:00Z'));
  });

  it('skip the weekend, from a Friday and from the weekend itself', () => {
    expect(addWorkingDays(new Date('2026-12-04T23:30:00Z'), 1, la)).toEqual(new Date('2026-12-07T23:30:00Z'));
    expect(addWorkingDays(new Date('2026-12-05T18:00:00Z'), 1, la)).toEqual(new Date('2026-12-07T18:00:00Z'));
    expect(addWorkingDays(new Date('2026-12-06T18:00:00Z'), 2, la)).toEqual(new Date('2026-12-08T18:00:00Z'));
  });

  it('count in the given zone: Friday evening in Los Angeles is already Saturday in Shanghai', () => {
    // Friday 4 December, 17:00 in Los Angeles; Saturday 5 December, 09:00 in Shanghai.
    const at = new Date('2026-12-05T01:00:00Z');
    expect(addWorkingDays(at, 1, la)).toEqual(new Date('2026-12-08T01:00:00Z'));
    expect(addWorkingDays(at, 1, 'Asia/Shanghai')).toEqual(new Date('2026-12-07T01:00:00Z'));
  });

  it('keep the wall-clock time across a change of offset', () => {
    // Friday 6 March 2026, 09:00 in Los Angeles (PST); Monday 9 March is in PDT.
    expect(addWorkingDays(new Date('2026-03-06T17:00:00Z'), 1, la)).toEqual(new Date('2026-03-09T16:00:00Z'));
  });
});
