/** What run.ts and serve.ts say to each other over the child process's IPC channel. */

export type ParentMessage =
  | { type: 'memory' }
  /** Start a fresh event-loop delay measurement. */
  | { type: 'stall-reset' }
  | { type: 'stall-read' }
  /** Start a CPU profile of this thread; `profile-stop` writes it to `path`. */
  | { type: 'profile-start' }
  | { type: 'profile-stop'; path: string }
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
  | { type: 'profile-started' }
  | { type: 'profile-written'; path: string }
  | { type: 'stopped' }
  | { type: 'failed'; phase: 'start' | 'stop' | 'profile'; message: string };

// --- The ingestion child (ingest-child.ts) -------------------------------------

/** What run.ts asks of one ingestion child, passed as JSON in BENCH_INGEST. */
export interface IngestChildConfig {
  /** guanxi: openLowdbStore on a store folder and ingestMessages; naive: lowdb's JSONFile on one db.json, a write per change. */
  mode: 'guanxi' | 'naive';
  /** The store folder (guanxi) or the db.json (naive). */
  path: string;
  seed: string;
  /** Stop after this many messages or this long, whichever comes first. */
  messages: number;
  timeLimitMs: number;
  batchSize: number;
  /** Batches in flight at once (mailboxes backfilling side by side); guanxi only. */
  concurrency: number;
  members: { id: string; email: string }[];
  internalDomains: string[];
  /** Where to write a CPU profile of the ingestion loop, or null. */
  cpuProfile: string | null;
}

/** Records in the store: interactions on timelines, contacts at customers, pending suggestions. */
export interface StoreCounts {
  interactions: number;
  contacts: number;
  suggestions: number;
}

/** Totals over messages, in the shape of ingestMessages' report (mail-mix.ts's Tally). */
export interface TallyFigures {
  seen: number;
  logged: number;
  interactions: number;
  contactsCreated: number;
  suggestionsRaised: number;
  skipped: Record<'bulk' | 'blocked' | 'internal' | 'no_customer' | 'already_logged', number>;
}

export interface IngestChildResult {
  mode: IngestChildConfig['mode'];
  loadMs: number;
  /** Building the mail mix's pool from the loaded store. */
  poolMs: number;
  messages: number;
  batches: number;
  /** The ingestion loop, from the first batch until the last was stored. */
  wallMs: number;
  /** Of wallMs, the time spent making the messages (synchronous, so it is subtracted from the rates). */
  generateMs: number;
  /** True when the time limit, not the message count, ended the loop. */
  cutShort: boolean;
  /** What ingestion said it did (summed reports), and what the mail mix says it should have done. */
  reported: TallyFigures;
  expected: TallyFigures;
  categories: Record<string, number>;
  /** Counts read from the store before and after the loop (in memory). */
  before: StoreCounts;
  after: StoreCounts;
  /** Naive only: the counts in db.json read again from disk after the run; null if not read. */
  reread: StoreCounts | null;
  stalls: StallFigures;
  memoryLoaded: MemoryFigures;
  memoryAfter: MemoryFigures;
  /** store.close() (flush and compaction) after the loop; 0 for naive. */
  closeMs: number;
  /** Naive only: writes of the whole db.json, and the longest. */
  writes: number;
  longestWriteMs: number;
  /** guanxi only: fsyncs during the loop, and the time spent in them summed over calls (they overlap when pages do). */
  fsyncs: { calls: number; ms: number } | null;
  /** Counts that disagree, as sentences: a broken bench or a broken store. */
  problems: string[];
  profile: string | null;
}

export type IngestChildMessage =
  | { type: 'loaded'; loadMs: number; before: StoreCounts; memory: MemoryFigures }
  | { type: 'progress'; messages: number; elapsedMs: number }
  | { type: 'done'; result: IngestChildResult }
  | { type: 'failed'; phase: 'load' | 'ingest' | 'close'; message: string };
