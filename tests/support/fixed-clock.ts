import type { Clock } from '../../src/clock.ts';

/** A clock that moves only when a test says so, or when the code under test sleeps on it (which returns at once). */
export class FixedClock implements Clock {
  private instant: number;

  constructor(iso: string) {
    this.instant = Date.parse(iso);
  }

  now(): Date {
    return new Date(this.instant);
  }

  set(iso: string): void {
    this.instant = Date.parse(iso);
  }

  advance(ms: number): void {
    this.instant += ms;
  }

  /** Every sleep asked for, in ms, so a test can see the back-off it caused. */
  readonly slept: number[] = [];

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.instant += ms;
  }
}
