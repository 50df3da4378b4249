import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { MemoryFigures, StallFigures } from './messages.ts';

/**
 * What the bench's child processes (serve.ts, ingest-child.ts) measure of
 * themselves, the same way: their memory and CPU, their event-loop stalls, a
 * CPU profile on request; and a logger that writes to stderr only, which the
 * parent keeps.
 */

export const stderrLog = {
  info: (message: string) => void process.stderr.write(`info ${message}\n`),
  warn: (message: string, cause?: unknown) => void process.stderr.write(`warn ${message}${cause === undefined ? '' : `: ${describe(cause)}`}\n`),
  error: (message: string, cause?: unknown) => void process.stderr.write(`error ${message}${cause === undefined ? '' : `: ${describe(cause)}`}\n`),
};

export function describe(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}

export function memory(): MemoryFigures {
  const usage = process.memoryUsage();
  const resources = process.resourceUsage();
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    maxRss: resources.maxRSS * 1024,
    cpuMs: (resources.userCPUTime + resources.systemCPUTime) / 1000,
  };
}

/** Event-loop delay: the histogram (1 ms resolution), and a count of stalls over 50 ms seen by a 5 ms ticker. */
export class StallWatch {
  readonly #delay = monitorEventLoopDelay({ resolution: 1 });
  #longStalls = 0;
  #lastTick = performance.now();
  #ticker: NodeJS.Timeout | null = null;

  start(): void {
    const tickMs = 5;
    this.#delay.enable();
    this.#lastTick = performance.now();
    this.#ticker = setInterval(() => {
      const now = performance.now();
      if (now - this.#lastTick - tickMs > 50) this.#longStalls++;
      this.#lastTick = now;
    }, tickMs);
    this.#ticker.unref();
  }

  reset(): void {
    this.#delay.reset();
    this.#longStalls = 0;
    this.#lastTick = performance.now();
  }

  read(): StallFigures {
    const delay = this.#delay;
    return { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6, over50ms: this.#longStalls };
  }

  stop(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#delay.disable();
  }
}

/** A CPU profile of this thread (not of its workers), from `start` until `stop` writes it. */
export class Profiler {
  #session: Session | null = null;

  async start(): Promise<void> {
    if (this.#session) return;
    this.#session = new Session();
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.start');
  }

  async stop(path: string): Promise<void> {
    const session = this.#session;
    if (!session) throw new Error('no profile was started');
    this.#session = null;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(path, JSON.stringify(profile));
  }
}
