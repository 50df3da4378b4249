/** What run.ts and serve.ts say to each other over the child process's IPC channel. */

export type ParentMessage =
  | { type: 'memory' }
  /** Start a fresh event-loop delay measurement. */
  | { type: 'stall-reset' }
  | { type: 'stall-read' }
  | { type: 'stop' };

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
  /** The process's peak resident set so far (getrusage), in bytes. */
  maxRss: number;
  /** CPU time used so far, user and system, in milliseconds. */
  cpuMs: number;
}

export interface StallFigures {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** Times the loop was late by more than 50 ms. */
  over50ms: number;
}

export type ServerMessage =
  /** startServer (or the bare app's start) until /healthz answered; and since the process began. */
  | { type: 'started'; startupMs: number; sinceProcessStartMs: number }
  | ({ type: 'ready'; url: string } & MemoryFigures)
  | ({ type: 'memory' } & MemoryFigures)
  | { type: 'stall-reset' }
  | ({ type: 'stall' } & StallFigures)
  | { type: 'stopped' }
  | { type: 'failed'; phase: 'start' | 'stop'; message: string };
