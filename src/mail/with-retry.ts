import type { Clock } from '../clock.ts';
import { ProviderTemporaryError } from '../errors.ts';

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Google and Microsoft both ask for exponential back-off on 429 and 5xx, honouring Retry-After when given. */
export const providerRetry: RetryPolicy = { attempts: 8, firstDelayMs: 1000, maxDelayMs: 64_000 };

/**
 * Runs a provider call, waiting and trying again while it fails in a way that
 * passes: as long as the provider asked (Retry-After), else doubling from one
 * second. Any other failure, or the last attempt's, is thrown.
 */
export async function withRetry<T>(clock: Clock, work: () => Promise<T>, policy: RetryPolicy = providerRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ProviderTemporaryError) || attempt >= policy.attempts) throw error;
      await clock.sleep(error.retryAfterMs ?? Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
