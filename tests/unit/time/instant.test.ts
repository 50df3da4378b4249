import { describe, expect, it } from 'vitest';
import { instantMs } from '../../../src/time/instant.ts';

describe('reading a stored instant', () => {
  it('agrees with Date.parse on every kind of day: leap days, month and year ends, centuries', () => {
    const fixed = [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2100-03-01T00:00:00.000Z',
      '1900-02-28T00:00:00.001Z',
      '0100-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    for (const text of fixed) expect(instantMs(text), text).toBe(Date.parse(text));
    // Every day for 130 years, at a different time of day each.
    for (let day = -20_000; day < 27_500; day++) {
      const text = new Date(day * 86_400_000 + ((day * 7_919_993) % 86_400_000 + 86_400_000) % 86_400_000).toISOString();
      if (instantMs(text) !== Date.parse(text)) expect(instantMs(text), text).toBe(Date.parse(text));
    }
  });

  it('reads the other forms the schema allows as Date.parse does', () => {
    for (const text of ['2026-12-02T17:00:00Z', '2026-12-02T17:00:00.5Z', '2026-12-02T17:00:00.123456Z', '0050-06-01T00:00:00.000Z']) {
      expect(instantMs(text), text).toBe(Date.parse(text));
    }
  });
});
