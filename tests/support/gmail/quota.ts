import type { Clock } from '../../../src/clock.ts';

/** Gmail's per-method quota units (PLATFORMS.md B6, the reference table). */
export const quotaUnits = {
  'users.getProfile': 1,
  'users.watch': 100,
  'users.stop': 50,
  'users.history.list': 2,
  'users.messages.list': 5,
  'users.messages.get': 5,
  'users.messages.send': 100,
} as const;

export type GmailMethod = keyof typeof quotaUnits;

export interface QuotaOptions {
  /** Units one mailbox may spend in any 60 s of the fake's clock (Google's per-user limit is 15,000, or 6,000 for projects from May 2026). */
  unitsPerMinute: number;
  /** What an overrun answers: 429 `rateLimitExceeded` (default) or 403 `userRateLimitExceeded`. */
  answer?: 'rateLimitExceeded' | 'userRateLimitExceeded';
}

export type QuotaVerdict = { ok: true } | { ok: false; retryAt: Date; retryAfterSeconds: number };

const windowMs = 60_000;

/**
 * A sliding one-minute window per mailbox over the injected clock, so a test
 * that advances its clock frees units without sleeping. A refused call spends
 * nothing, as with Google.
 */
export class PerUserQuota {
  readonly #clock: Clock;
  readonly #spent = new Map<string, Array<{ at: number; units: number }>>();
  readonly #total = new Map<string, number>();
  readonly #refusals = new Map<string, number>();
  limit: QuotaOptions | undefined;

  constructor(clock: Clock, limit: QuotaOptions | undefined) {
    this.#clock = clock;
    this.limit = limit;
  }

  charge(user: string, units: number): QuotaVerdict {
    const now = this.#clock.now().getTime();
    const recent = (this.#spent.get(user) ?? []).filter((spend) => spend.at > now - windowMs);
    this.#spent.set(user, recent);
    if (this.limit && sum(recent) + units > this.limit.unitsPerMinute) {
      this.#refusals.set(user, (this.#refusals.get(user) ?? 0) + 1);
      const retryAt = freedAt(recent, units, this.limit.unitsPerMinute, now);
      return { ok: false, retryAt: new Date(retryAt), retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) };
    }
    recent.push({ at: now, units });
    this.#total.set(user, (this.#total.get(user) ?? 0) + units);
    return { ok: true };
  }

  unitsUsed(user: string): number {
    return this.#total.get(user) ?? 0;
  }

  refusals(user?: string): number {
    if (user !== undefined) return this.#refusals.get(user) ?? 0;
    return [...this.#refusals.values()].reduce((a, b) => a + b, 0);
  }

  clear(): void {
    this.#spent.clear();
    this.#total.clear();
    this.#refusals.clear();
  }
}

function sum(spends: Array<{ units: number }>): number {
  return spends.reduce((total, spend) => total + spend.units, 0);
}

/** The first instant at which enough of the window has slid past for `units` more to fit. */
function freedAt(recent: Array<{ at: number; units: number }>, units: number, limit: number, now: number): number {
  let inWindow = sum(recent);
  for (const spend of recent) {
    inWindow -= spend.units;
    if (inWindow + units <= limit) return spend.at + windowMs;
  }
  return now + windowMs; // a single call costlier than the whole limit never fits; say "a minute"
}
