import { describe, expect, it } from 'vitest';
import { ProviderAuthError, ProviderTemporaryError } from '../../../src/errors.ts';
import { withRetry } from '../../../src/mail/with-retry.ts';
import { FixedClock } from '../../support/fixed-clock.ts';

describe('retrying provider calls', () => {
  it('waits as long as the provider asks, else doubling, and gets through', async () => {
    const clock = new FixedClock('2026-12-01T00:00:00Z');
    const failures = [new ProviderTemporaryError('429', { retryAfterMs: 30_000 }), new ProviderTemporaryError('503'), new ProviderTemporaryError('503')];
    const result = await withRetry(clock, async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return 'done';
    });
    expect(result).toBe('done');
    expect(clock.slept).toEqual([30_000, 2_000, 4_000]);
  });

  it('does not retry a lost grant, and gives up after the last attempt', async () => {
    const clock = new FixedClock('2026-12-01T00:00:00Z');
    await expect(withRetry(clock, async () => { throw new ProviderAuthError('revoked'); })).rejects.toThrow('revoked');
    expect(clock.slept).toEqual([]);
    await expect(withRetry(clock, async () => { throw new ProviderTemporaryError('down'); }, { attempts: 3, firstDelayMs: 10, maxDelayMs: 15 })).rejects.toThrow('down');
    expect(clock.slept).toEqual([10, 15]);
  });
});
