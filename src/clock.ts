import { setTimeout as wait } from 'node:timers/promises';

/** Time is a parameter: production uses the system clock, tests pass a fixed one that moves only when told. */
export interface Clock {
  now(): Date;
  /** Waits `ms` of this clock's time (a back-off, a Retry-After). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: async (ms) => void (await wait(ms)),
};
