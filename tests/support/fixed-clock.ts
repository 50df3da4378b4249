import type { Clock } from '../../src/clock.ts';

/** A clock that moves only when a test says so. */
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
}
