import { open, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Store } from '../../src/store/store.ts';
import { addOutcome, compareTallies, emptyTally, MailMix, type MailPool, type Planned, type Tally } from './mail-mix.ts';
import { describe, memory, Profiler, StallWatch, stderrLog } from './child-kit.ts';
import type { IngestChildConfig, IngestChildMessage, IngestChildResult, StoreCounts } from './messages.ts';

/**
 * The bench's ingestion process, started by run.ts (ingest-bench.ts) with an
 * IPC channel and its orders in BENCH_INGEST, so that its memory and
 * event-loop stalls are its own.
 *
 *   guanxi  opens the store folder with openLowdbStore and feeds ingestMessages
 *           the mail mix (mail-mix.ts) in batches, as a Gmail backfill does
 *   naive   reads one db.json with lowdb's JSONFile and ingests the same mix
 *           naively, writing the whole file after every change (naive-lowdb.ts)
 *
 * Either way it stops after `messages` messages or `timeLimitMs`, then checks
 * the counts: what ingestion reported, what the mix says it should have
 * done, and what the store holds now must agree.
 */

if (!process.send) {
  console.error('ingest-child.ts: start me with an IPC channel (run.ts does)');
  process.exit(2);
}
const config = JSON.parse(process.env.BENCH_INGEST ?? 'null') as IngestChildConfig | null;
if (!config) {
  console.error('ingest-child.ts: BENCH_INGEST is not set');
  process.exit(2);
}

function send(message: IngestChildMessage): void {
  process.send?.(message);
}

const stallWatch = new StallWatch();

/**
 * Counts the fsyncs (FileHandle.sync and datasync, which the store's journal
 * and snapshot writes use) and the time spent waiting for them, summed over
 * calls: what the event loop idles on when a page waits for its writes.
 */
const syncs = { calls: 0, ms: 0 };
async function countSyncs(dir: string): Promise<void> {
  const probe = `${dir}/.bench-sync-probe`;
  const handle = await open(probe, 'w');
  const proto = Object.getPrototypeOf(handle) as Record<'sync' | 'datasync', (this: unknown) => Promise<void>>;
  await handle.close();
  await rm(probe, { force: true });
  for (const name of ['sync', 'datasync'] as const) {
    const original = proto[name];
    proto[name] = async function (this: unknown) {
      const began = performance.now();
      try {
        return await original.call(this);
      } finally {
        syncs.calls++;
        syncs.ms += performance.now() - began;
      }
    };
  }
}

/** A CPU profile of the loop only (not the load), when asked for. */
async function profiled<T>(run: () => Promise<T>): Promise<T> {
  if (!config!.cpuProfile) return run();
  const profiler = new Profiler();
  await profiler.start();
  try {
    return await run();
  } finally {
    await profiler.stop(config!.cpuProfile);
  }
}

interface Loop {
  messages: number;
  batches: number;
  wallMs: number;
  generateMs: number;
  cutShort: boolean;
  expected: Tally;
}

/**
 * Feeds `ingest` batches of the mix, `concurrency` at a time, until the count
 * or the time limit; the expected tally covers exactly the messages handed over.
 */
async function loop(mix: MailMix, ingest: (batch: Planned[], deadline: number) => Promise<number>): Promise<Loop> {
  const { messages: planned, batchSize, timeLimitMs } = config!;
  const expected = emptyTally();
  const began = performance.now();
  const deadline = began + timeLimitMs;
  let given = 0;
  let batches = 0;
  let generateMs = 0;
  let cutShort = false;
  let lastProgress = began;
  const worker = async () => {
    while (given < planned) {
      if (performance.now() >= deadline) {
        cutShort = true;
        return;
      }
      const t = performance.now();
      const batch = mix.batch(Math.min(batchSize, planned - given));
      generateMs += performance.now() - t;
      given += batch.length;
      batches++;
      const done = await ingest(batch, deadline);
      for (let i = 0; i < done; i++) addOutcome(expected, batch[i]!.outcome);
      if (done < batch.length) {
        // The naive baseline stops in the middle of a batch at the time limit.
        given = planned;
        cutShort = true;
        return;
      }
      const now = performance.now();
      if (now - lastProgress > 5000) {
        lastProgress = now;
        send({ type: 'progress', messages: expected.seen, elapsedMs: now - began });
      }
    }
  };
  const concurrency = config!.mode === 'naive' ? 1 : Math.max(1, config!.concurrency);
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { messages: expected.seen, batches, wallMs: performance.now() - began, generateMs, cutShort, expected };
}

async function guanxi(): Promise<IngestChildResult> {
  const { openLowdbStore } = await import('../../src/store/lowdb/open-lowdb-store.ts');
  const { ingestMessages } = await import('../../src/ingest/ingest.ts');
  const { randomIds } = await import('../../src/ids.ts');
  const { systemClock } = await import('../../src/clock.ts');
  let phase: 'load' | 'ingest' | 'close' = 'load';
  try {
    const t0 = performance.now();
    const store = await openLowdbStore(config!.path, { log: stderrLog });
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    const customers = (await store.customers.list()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const pool: MailPool = {
      customers: await Promise.all(customers.map(async (c) => ({ domains: c.domains, contacts: (await store.contacts.byCustomer(c.id)).map((contact) => contact.email) }))),
      members: config!.members,
    };
    const poolMs = performance.now() - t1;
    const before = await counts(store, customers.map((c) => c.id));
    const memoryLoaded = memory();
    send({ type: 'loaded', loadMs, before, memory: memoryLoaded });

    phase = 'ingest';
    const deps = { store, clock: systemClock, ids: randomIds, internalDomains: config!.internalDomains };
    const reported = emptyTally();
    const mix = new MailMix(pool, config!.seed);
    await countSyncs(config!.path);
    stallWatch.reset();
    const run = await profiled(() =>
      loop(mix, async (batch) => {
        const report = await ingestMessages(deps, batch.map((p) => p.message));
        reported.seen += report.seen;
        reported.logged += report.logged;
        reported.interactions += report.interactions.length;
        reported.contactsCreated += report.contactsCreated;
        reported.suggestionsRaised += report.suggestionsRaised;
        for (const [reason, count] of Object.entries(report.skipped)) reported.skipped[reason as keyof Tally['skipped']] += count;
        return batch.length;
      }),
    );
    const stalls = stallWatch.read();
    const fsyncs = { ...syncs };
    const memoryAfter = memory();
    const after = await counts(store, customers.map((c) => c.id));

    phase = 'close';
    const t2 = performance.now();
    await store.close();
    const closeMs = performance.now() - t2;
    return {
      mode: 'guanxi',
      loadMs,
      poolMs,
      ...run,
      reported,
      categories: mix.categories,
      before,
      after,
      reread: null,
      stalls,
      memoryLoaded,
      memoryAfter,
      closeMs,
      writes: 0,
      longestWriteMs: 0,
      fsyncs,
      problems: [...compareTallies('reported by ingestMessages', reported, run.expected), ...compareCounts('in the store', before, after, run.expected)],
      profile: config!.cpuProfile,
    };
  } catch (error) {
    send({ type: 'failed', phase, message: describe(error) });
    throw error;
  }
}

/** Interactions on every timeline, contacts at every customer, pending suggestions: through the Store port. */
async function counts(store: Store, customerIds: readonly string[]): Promise<StoreCounts> {
  let interactions = 0;
  let contacts = 0;
  for (const id of customerIds) {
    interactions += await store.interactions.countByCustomer(id);
    contacts += (await store.contacts.byCustomer(id)).length;
  }
  return { interactions, contacts, suggestions: (await store.suggestions.pending(Number.MAX_SAFE_INTEGER)).length };
}

function compareCounts(where: string, before: StoreCounts, after: StoreCounts, expected: Tally): string[] {
  const problems: string[] = [];
  const check = (what: string, grew: number, should: number) => {
    if (grew !== should) problems.push(`${where}: ${what} grew by ${grew.toLocaleString('en-US')}, expected ${should.toLocaleString('en-US')}`);
  };
  check('interactions', after.interactions - before.interactions, expected.interactions);
  check('contacts', after.contacts - before.contacts, expected.contactsCreated);
  check('suggestions', after.suggestions - before.suggestions, expected.suggestionsRaised);
  return problems;
}

async function naive(): Promise<IngestChildResult> {
  const { Low } = await import('lowdb');
  const { JSONFile } = await import('lowdb/node');
  const { NaiveIngest, naivePool } = await import('./naive-lowdb.ts');
  type NaiveData = import('./naive-lowdb.ts').NaiveData;
  let phase: 'load' | 'ingest' | 'close' = 'load';
  try {
    const t0 = performance.now();
    const db = new Low<NaiveData>(new JSONFile<NaiveData>(config!.path), { customers: [], contacts: [], interactions: [], suggestions: [] });
    await db.read();
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    const pool = naivePool(db.data, config!.members);
    const naiveCounts = (data: NaiveData): StoreCounts => ({ interactions: data.interactions.length, contacts: data.contacts.length, suggestions: data.suggestions.length });
    const before = naiveCounts(db.data);
    const ingester = new NaiveIngest(db, config!.members, config!.internalDomains);
    const poolMs = performance.now() - t1;
    const memoryLoaded = memory();
    send({ type: 'loaded', loadMs, before, memory: memoryLoaded });

    phase = 'ingest';
    const reported = emptyTally();
    const mix = new MailMix(pool, config!.seed);
    stallWatch.reset();
    const run = await profiled(() =>
      loop(mix, async (batch, deadline) => {
        let done = 0;
        for (const planned of batch) {
          await ingester.ingest(planned.message, new Date(), reported);
          done++;
          if (performance.now() >= deadline) break;
        }
        return done;
      }),
    );
    const stalls = stallWatch.read();
    const memoryAfter = memory();
    const after = naiveCounts(db.data);

    phase = 'close';
    // What the file holds now: lowdb's own reading of it.
    const reread = await new JSONFile<NaiveData>(config!.path).read();
    const rereadCounts = reread ? naiveCounts(reread) : { interactions: 0, contacts: 0, suggestions: 0 };
    return {
      mode: 'naive',
      loadMs,
      poolMs,
      ...run,
      reported,
      categories: mix.categories,
      before,
      after,
      reread: rereadCounts,
      stalls,
      memoryLoaded,
      memoryAfter,
      closeMs: 0,
      writes: ingester.writes,
      longestWriteMs: ingester.longestWriteMs,
      fsyncs: null,
      problems: [
        ...compareTallies('the naive baseline', reported, run.expected),
        ...compareCounts('the naive db in memory', before, after, run.expected),
        ...compareCounts('the naive db.json read again', before, rereadCounts, run.expected),
      ],
      profile: config!.cpuProfile,
    };
  } catch (error) {
    send({ type: 'failed', phase, message: describe(error) });
    throw error;
  }
}

stallWatch.start();
try {
  const result = config.mode === 'naive' ? await naive() : await guanxi();
  send({ type: 'done', result });
} catch {
  process.exitCode = 1;
} finally {
  stallWatch.stop();
  process.disconnect();
}
