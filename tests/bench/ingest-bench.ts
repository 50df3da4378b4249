import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { ChildLog, nodeBinary } from './child.ts';
import { generateDataset, type Dataset, type DatasetSize } from './dataset.ts';
import { bytes, int, ms, perSecond, step, verdict, type Row } from './format.ts';
import type { IngestChildConfig, IngestChildMessage, IngestChildResult, StoreCounts } from './messages.ts';
import { writeNaiveDb } from './naive-lowdb.ts';
import { formatSummary, summarizeProfile } from './profile-summary.ts';

/**
 * The ingestion figures (issues 3 and 4): guanxi's throughput at the full
 * dataset, measured in a child process (ingest-child.ts) feeding
 * ingestMessages pages of 100 messages; and the naive lowdb baseline (one
 * db.json, a write per change) on growing datasets until one fails or takes
 * too long, with guanxi measured on the largest it survived.
 */

const repoRoot = join(import.meta.dirname, '..', '..');
const childScript = join(import.meta.dirname, 'ingest-child.ts');

/** Issue 3's target: messages resolved and stored per second. */
export const targetPerSecond = 5000;
export const internalDomains = ['ourteam.io'];

export interface IngestOptions {
  seed: string;
  /** Messages per run, and the time limit of a run's loop. */
  messages: number;
  timeLimitMs: number;
  batchSize: number;
  concurrency: number;
  /** Fractions of the dataset the naive baseline is tried on, smallest first. */
  naiveFractions: number[];
  /** The naive baseline's loop stops after this long at each size. */
  naiveTimeLimitMs: number;
  /** A child that has not finished this long after its loop should have ended is killed (load and close included). */
  childTimeoutMs: number;
  cpuProf: boolean;
  profileDir: string;
}

export interface GuanxiIngest {
  label: string;
  size: DatasetSize;
  result: IngestChildResult;
  /** Records in the store folder once the child had closed it. */
  disk: StoreCounts;
  /** Every disagreement between the counts: report, mix, store in memory, files on disk. */
  problems: string[];
  profile: string[] | null;
  log: ChildLog;
}

export interface NaiveRung {
  fraction: number;
  size: DatasetSize;
  dbBytes: number;
  survived: boolean;
  result: IngestChildResult | null;
  /** Why it did not survive. */
  problem: string | null;
  elapsedMs: number;
  profile: string[] | null;
}

export interface NaiveLadder {
  rungs: NaiveRung[];
  /** The largest size the baseline survived, and guanxi measured on it. */
  largest: NaiveRung | null;
  guanxiThere: GuanxiIngest | null;
  guanxiProblem: string | null;
}

export function scaleSize(size: DatasetSize, fraction: number): DatasetSize {
  const customers = Math.max(2, Math.round(size.customers * fraction));
  return {
    customers,
    contacts: Math.max(customers, Math.round(size.contacts * fraction)),
    interactions: Math.round(size.interactions * fraction),
    reminders: Math.round(size.reminders * fraction),
    members: size.members,
  };
}

const pct = (fraction: number) => `${+(fraction * 100).toFixed(2)}%`;

/** Runs one ingest-child.ts to its end: its result, or a rejection saying why there is none. */
function runChild(config: IngestChildConfig, timeoutMs: number, label: string): Promise<{ result: IngestChildResult; log: ChildLog }> {
  const log = new ChildLog();
  const child = spawn(nodeBinary(), [childScript], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', BENCH_INGEST: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => log.add(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => log.add(text));
  const began = performance.now();
  return new Promise((resolve, reject) => {
    let result: IngestChildResult | null = null;
    let failure: string | null = null;
    const timer = setTimeout(() => {
      failure = `${label}: still running after ${Math.round(timeoutMs / 1000)} s, killed`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (raw: unknown) => {
      const message = raw as IngestChildMessage;
      if (message.type === 'loaded') step(`${label}: loaded in ${ms(message.loadMs)} (${int(message.before.interactions)} interactions, RSS ${bytes(message.memory.rss)}); ingesting`);
      else if (message.type === 'progress') step(`${label}: ${int(message.messages)} messages after ${ms(message.elapsedMs)}`);
      else if (message.type === 'done') result = message.result;
      else if (message.type === 'failed') failure ??= `${label} failed to ${message.phase}: ${firstLine(message.message)}`;
    });
    child.on('error', (error) => {
      failure ??= `could not start ${nodeBinary()}: ${error.message}`;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) return resolve({ result, log });
      const how = signal ?? `code ${code}`;
      const tail = log.tail(6);
      const outOfMemory = /heap out of memory|Reached heap limit/i.test(tail);
      reject(new Error(failure ?? `${label}: the child exited (${how}) after ${ms(performance.now() - began)}${outOfMemory ? ': JavaScript heap out of memory' : ''}${tail}`));
    });
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}

function childConfig(options: IngestOptions, mode: 'guanxi' | 'naive', path: string, members: Dataset['members'], profile: string | null): IngestChildConfig {
  return {
    mode,
    path,
    seed: options.seed,
    messages: options.messages,
    timeLimitMs: mode === 'naive' ? options.naiveTimeLimitMs : options.timeLimitMs,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    members: members.map((m) => ({ id: m.id, email: m.email })),
    internalDomains,
    cpuProfile: profile,
  };
}

async function profileLines(path: string | null): Promise<string[] | null> {
  if (!path || !existsSync(path)) return null;
  return [`CPU profile: ${path}`, ...formatSummary(await summarizeProfile(path, 30), 15)];
}

/**
 * guanxi on a copy of `sourceDir` (the source is never changed): the child
 * ingests, checks and closes; then the files are counted here.
 */
export async function guanxiIngest(options: IngestOptions, label: string, sourceDir: string, size: DatasetSize, members: Dataset['members'], workDir: string): Promise<GuanxiIngest> {
  await rm(workDir, { recursive: true, force: true });
  await cp(sourceDir, workDir, { recursive: true });
  try {
    let profile: string | null = null;
    if (options.cpuProf) {
      await mkdir(options.profileDir, { recursive: true });
      profile = join(options.profileDir, `ingest-guanxi-${label.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
    }
    const { result, log } = await runChild(childConfig(options, 'guanxi', workDir, members, profile), options.timeLimitMs + options.childTimeoutMs, `guanxi ingestion (${label})`);
    const disk = await countOnDisk(workDir);
    const problems = [...result.problems];
    const grew = (what: string, now: number, then: number, should: number) => {
      if (now - then !== should) problems.push(`on disk after close: ${what} grew by ${int(now - then)}, expected ${int(should)}`);
    };
    grew('interactions', disk.interactions, result.before.interactions, result.expected.interactions);
    grew('contacts', disk.contacts, result.before.contacts, result.expected.contactsCreated);
    grew('suggestions', disk.suggestions, result.before.suggestions, result.expected.suggestionsRaised);
    return { label, size, result, disk, problems, profile: await profileLines(profile), log };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Records in a closed store folder: the lines of each snapshot, with any
 * journal left beside it replayed over them.
 */
export async function countOnDisk(dir: string): Promise<StoreCounts> {
  const count = async (name: string): Promise<number> => {
    const snapshot = join(dir, `${name}.json`);
    const journals = [join(dir, `${name}.journal.old`), join(dir, `${name}.journal`)].filter((path) => existsSync(path));
    if (journals.length === 0) {
      let records = 0;
      if (existsSync(snapshot)) for await (const line of lines(snapshot)) if (line.startsWith('  {')) records++;
      return records;
    }
    const ids = new Set<string>();
    if (existsSync(snapshot)) {
      for await (const line of lines(snapshot)) {
        const id = /^\s*\{"id":"([^"]+)"/.exec(line)?.[1];
        if (id) ids.add(id);
      }
    }
    for (const journal of journals) {
      for await (const line of lines(journal)) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line) as { put?: { id: string }; delete?: string };
        if (entry.put) ids.add(entry.put.id);
        else if (entry.delete) ids.delete(entry.delete);
      }
    }
    return ids.size;
  };
  return { interactions: await count('interactions'), contacts: await count('contacts'), suggestions: await count('suggestions') };
}

function lines(path: string) {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/**
 * The naive baseline on growing datasets until one size fails or takes too
 * long; then guanxi on the largest it survived (or `full`'s figure when that
 * is the full dataset and guanxi was already measured there).
 */
export async function naiveLadder(options: IngestOptions, dataset: Dataset, root: string, full: GuanxiIngest | null): Promise<NaiveLadder> {
  const rungs: NaiveRung[] = [];
  let largest: NaiveRung | null = null;
  let largestDir: string | null = null;
  const discard = async (dir: string | null) => {
    if (dir && dir !== dataset.dir) await rm(dir, { recursive: true, force: true });
  };
  for (const fraction of [...options.naiveFractions].sort((a, b) => a - b)) {
    const whole = fraction >= 1;
    const size = whole ? dataset.size : scaleSize(dataset.size, fraction);
    const rungDir = join(root, `naive-${pct(fraction).replace('%', 'pct')}`);
    await rm(rungDir, { recursive: true, force: true });
    await mkdir(rungDir, { recursive: true });
    const storeDir = whole ? dataset.dir : join(rungDir, 'store');
    const began = performance.now();
    step(`naive lowdb at ${pct(fraction)} (${int(size.customers)} customers, ${int(size.contacts)} contacts, ${int(size.interactions)} interactions): writing db.json`);
    if (!whole) await generateDataset(storeDir, size, { seed: options.seed });
    const dbPath = join(rungDir, 'db.json');
    const dbBytes = await writeNaiveDb(storeDir, dbPath);
    let profile: string | null = null;
    if (options.cpuProf) {
      await mkdir(options.profileDir, { recursive: true });
      profile = join(options.profileDir, `ingest-naive-${pct(fraction).replace('%', 'pct')}.cpuprofile`);
    }
    const rung: NaiveRung = { fraction, size, dbBytes, survived: false, result: null, problem: null, elapsedMs: 0, profile: null };
    try {
      step(`naive lowdb at ${pct(fraction)}: db.json is ${bytes(dbBytes)}; ingesting for up to ${ms(options.naiveTimeLimitMs)}`);
      const { result } = await runChild(childConfig(options, 'naive', dbPath, dataset.members, profile), options.naiveTimeLimitMs + options.childTimeoutMs, `naive lowdb at ${pct(fraction)}`);
      rung.result = result;
      rung.survived = true;
    } catch (error) {
      rung.problem = error instanceof Error ? error.message : String(error);
    }
    rung.elapsedMs = performance.now() - began;
    rung.profile = await profileLines(profile);
    rungs.push(rung);
    await rm(dbPath, { force: true });
    if (!rung.survived) {
      step(`naive lowdb at ${pct(fraction)} did not survive: ${firstLine(rung.problem ?? '')}`);
      await discard(whole ? null : storeDir);
      break;
    }
    await discard(largestDir);
    largest = rung;
    largestDir = storeDir;
  }

  let guanxiThere: GuanxiIngest | null = null;
  let guanxiProblem: string | null = null;
  if (largest && largestDir) {
    if (largest.fraction >= 1 && full) guanxiThere = full;
    else {
      step(`guanxi ingestion at the naive baseline's largest size, ${pct(largest.fraction)}`);
      try {
        guanxiThere = await guanxiIngest(options, pct(largest.fraction), largestDir, largest.size, dataset.members, join(root, 'ingest-at-naive'));
      } catch (error) {
        guanxiProblem = error instanceof Error ? error.message : String(error);
      }
    }
    await discard(largestDir);
  }
  return { rungs, largest, guanxiThere, guanxiProblem };
}

// --- Report ------------------------------------------------------------------

/** Messages and interactions per second of a run, the time spent making messages left out. */
export function rates(result: IngestChildResult): { messages: number; interactions: number } {
  const seconds = Math.max(1e-9, (result.wallMs - result.generateMs) / 1000);
  return { messages: result.messages / seconds, interactions: result.reported.interactions / seconds };
}

export interface IngestFigures {
  full: { value: GuanxiIngest | null; problem: string | null } | null;
  ladder: { value: NaiveLadder | null; problem: string | null } | null;
}

/** Every count disagreement of the ingestion runs: a broken bench or a broken store. */
export function countFailures(figures: IngestFigures): string[] {
  const failures: string[] = [];
  const full = figures.full?.value;
  if (full) failures.push(...full.problems.map((p) => `guanxi (${full.label}): ${p}`));
  const there = figures.ladder?.value?.guanxiThere;
  if (there && there !== full) failures.push(...there.problems.map((p) => `guanxi (${there.label}): ${p}`));
  for (const rung of figures.ladder?.value?.rungs ?? []) failures.push(...(rung.result?.problems ?? []).map((p) => `naive lowdb at ${pct(rung.fraction)}: ${p}`));
  return failures;
}

export function ingestRows(figures: IngestFigures, options: IngestOptions): { rows: Row[]; notes: string[]; after: string[] } {
  const rows: Row[] = [];
  const notes: string[] = [];
  const after: string[] = [];
  const full = figures.full?.value ?? null;
  const ladder = figures.ladder?.value ?? null;
  const largest = ladder?.largest ?? null;
  const naive = largest?.result ?? null;
  const there = ladder?.guanxiThere ?? null;
  const naiveRates = naive ? rates(naive) : null;
  const naiveAt = largest ? `naive lowdb at ${pct(largest.fraction)}` : null;
  const naiveBaseline = (text: (n: IngestChildResult) => string) => (naive && naiveAt ? `${naiveAt} (its largest): ${text(naive)}` : ladder ? 'naive lowdb survived no size' : figures.ladder ? 'naive baseline failed (see below)' : 'naive baseline not run');

  if (figures.full) {
    const r = full?.result;
    const fullRates = r ? rates(r) : null;
    const missing = figures.full.problem ? 'not measured (see below)' : 'n/a';
    const thereRate = there && there !== full ? `; guanxi there ${perSecond(rates(there.result).messages, 'msg')}` : '';
    rows.push([
      `ingestion: messages resolved and stored per second`,
      fullRates ? perSecond(fullRates.messages, 'msg') : missing,
      naive ? `${naiveBaseline((n) => perSecond(rates(n).messages, 'msg'))}${thereRate}` : naiveBaseline(() => ''),
      `>= ${int(targetPerSecond)}/s`,
      verdict(fullRates ? fullRates.messages >= targetPerSecond : null),
    ]);
    rows.push(['  interactions stored per second', fullRates ? perSecond(fullRates.interactions, 'int') : missing, naiveRates ? `${naiveAt}: ${perSecond(naiveRates.interactions, 'int')}` : '', '', '']);
    rows.push([
      `  messages ingested (pages of ${options.batchSize}, ${options.concurrency} in flight)`,
      r ? `${int(r.messages)} in ${ms(r.wallMs)}${r.cutShort ? ' (time limit)' : ''}` : missing,
      naive ? `${naiveAt}: ${int(naive.messages)} in ${ms(naive.wallMs)}, ${int(naive.writes)} writes of db.json` : '',
      '',
      '',
    ]);
    rows.push([
      '  stored: interactions / new contacts / suggestions',
      r ? `${int(r.reported.interactions)} / ${int(r.reported.contactsCreated)} / ${int(r.reported.suggestionsRaised)}` : missing,
      naive ? `${naiveAt}: ${int(naive.reported.interactions)} / ${int(naive.reported.contactsCreated)} / ${int(naive.reported.suggestionsRaised)}` : '',
      '',
      '',
    ]);
    const countsOk = full ? full.problems.length === 0 : null;
    rows.push([
      '  counts: reported = expected = store (memory, disk)',
      full ? (countsOk ? 'agree' : `WRONG: ${full.problems.length} mismatch(es), see below`) : missing,
      naive ? `${naiveAt}: ${naive.problems.length === 0 ? 'agree' : `WRONG: ${naive.problems.length} mismatch(es)`}` : '',
      'all equal',
      countsOk === null ? 'n/a' : countsOk ? 'met' : 'FAILED',
    ]);
    const stall = r?.stalls.maxMs;
    rows.push([
      'longest event-loop stall during ingestion',
      r ? ms(stall) : missing,
      naive ? `${naiveAt}: ${ms(naive.stalls.maxMs)}` : '',
      '< 50 ms',
      verdict(stall === undefined ? null : stall < 50),
    ]);
    rows.push(['  stalls over 50 ms / loop delay p99', r ? `${r.stalls.over50ms} / ${ms(r.stalls.p99Ms)}` : missing, naive ? `${naiveAt}: ${naive.stalls.over50ms} / ${ms(naive.stalls.p99Ms)}` : '', '', '']);
    rows.push([
      '  fsyncs per page / time in fsync (of the loop)',
      r?.fsyncs ? `${(r.fsyncs.calls / Math.max(1, r.batches)).toFixed(1)} / ${ms(r.fsyncs.ms)} (${((r.fsyncs.ms / r.wallMs) * 100).toFixed(0)}%)` : missing,
      naive ? `${naiveAt}: a db.json write per change, ${(naive.writes / Math.max(1, naive.messages)).toFixed(2)} per message` : '',
      '',
      '',
    ]);
    rows.push(['  store open before / close after (flush + compaction)', r ? `${ms(r.loadMs)} / ${ms(r.closeMs)}` : missing, naive ? `${naiveAt}: read ${ms(naive.loadMs)}` : '', '', '']);
    rows.push(['  RSS loaded / after ingestion (peak)', r ? `${bytes(r.memoryLoaded.rss)} / ${bytes(r.memoryAfter.rss)} (${bytes(r.memoryAfter.maxRss)})` : missing, naive ? `${naiveAt}: ${bytes(naive.memoryLoaded.rss)} / ${bytes(naive.memoryAfter.rss)} (${bytes(naive.memoryAfter.maxRss)})` : '', '', '']);
    if (figures.full.problem) notes.push(`guanxi ingestion: ${figures.full.problem}`);
    if (full) {
      for (const problem of full.problems) notes.push(`COUNT MISMATCH, guanxi ingestion (${full.label}): ${problem}`);
      if (full.log.warnings > 0 || full.log.errors > 0) notes.push(`the ingestion child logged ${full.log.warnings} warning(s) and ${full.log.errors} error(s):${full.log.tail(6)}`);
      const mix = Object.entries(full.result.categories).map(([k, v]) => `${k} ${int(v)}`).join(', ');
      notes.push(`Ingestion mix (${full.label}): ${mix}; making the messages took ${ms(full.result.generateMs)} of the loop and is left out of the rates.`);
    }
  }

  if (figures.ladder) {
    const failed = ladder?.rungs.find((rung) => !rung.survived) ?? null;
    rows.push([
      'naive lowdb (one db.json, a write per change): largest size survived',
      largest ? `${pct(largest.fraction)}: ${int(largest.size.interactions)} interactions, db.json ${bytes(largest.dbBytes)}` : ladder ? 'none' : 'not measured (see below)',
      failed ? `failed at ${pct(failed.fraction)} (db.json ${bytes(failed.dbBytes)})` : ladder ? `survived every size tried (up to ${pct(Math.max(...options.naiveFractions))} of this run's dataset)` : '',
      '',
      '',
    ]);
    if (largest && naive) {
      const g = there ? rates(there.result).messages : undefined;
      const n = naiveRates!.messages;
      rows.push([
        `ingestion at ${pct(largest.fraction)}: guanxi vs naive lowdb`,
        g === undefined ? `guanxi not measured${ladder?.guanxiProblem ? ' (see below)' : ''}` : `guanxi ${perSecond(g, 'msg')}`,
        `naive ${perSecond(n, 'msg')}`,
        '',
        g === undefined || n <= 0 ? '' : `${g / n >= 100 ? int(g / n) : (g / n).toFixed(1)}×`,
      ]);
      if (there && there !== full) for (const problem of there.problems) notes.push(`COUNT MISMATCH, guanxi ingestion (${there.label}): ${problem}`);
    }
    if (ladder?.guanxiProblem) notes.push(`guanxi ingestion at the naive baseline's largest size: ${ladder.guanxiProblem}`);
    if (figures.ladder.problem) notes.push(`naive baseline: ${figures.ladder.problem}`);
    for (const rung of ladder?.rungs ?? []) for (const problem of rung.result?.problems ?? []) notes.push(`COUNT MISMATCH, naive lowdb at ${pct(rung.fraction)}: ${problem}`);
    if (failed?.problem) notes.push(failed.problem.replace(/\n/g, '\n    '));
    if (ladder && ladder.rungs.length > 0) notes.push("The naive baseline's sizes are fractions of this run's dataset; its writes go through lowdb's steno (a temp file renamed over db.json) with no fsync, so it promises less durability than guanxi's fsynced journal.");

    if (ladder && ladder.rungs.length > 0) {
      const header = ['size', 'customers / contacts / interactions', 'db.json', 'read', 'messages', 'msg/s', 'int/s', 'writes', 'longest write', 'longest stall', 'outcome'];
      const table = ladder.rungs.map((rung) => {
        const r = rung.result;
        const rr = r ? rates(r) : null;
        return [
          pct(rung.fraction),
          `${int(rung.size.customers)} / ${int(rung.size.contacts)} / ${int(rung.size.interactions)}`,
          bytes(rung.dbBytes),
          r ? ms(r.loadMs) : '',
          r ? int(r.messages) : '',
          rr ? perSecond(rr.messages, 'msg') : '',
          rr ? perSecond(rr.interactions, 'int') : '',
          r ? int(r.writes) : '',
          r ? ms(r.longestWriteMs) : '',
          r ? ms(r.stalls.maxMs) : '',
          rung.survived ? (r && r.problems.length > 0 ? 'survived, COUNTS WRONG' : 'survived') : firstLine(rung.problem ?? 'failed').slice(0, 90),
        ];
      });
      const widths = header.map((_, i) => Math.max(header[i]!.length, ...table.map((row) => row[i]!.length)));
      const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
      after.push(`Naive lowdb baseline by size (lowdb JSONFile, the whole store in one db.json, await db.write() after every change; each size's loop stops after ${ms(options.naiveTimeLimitMs)} or ${int(options.messages)} messages):`);
      after.push(line(header));
      after.push(widths.map((w) => '-'.repeat(w)).join('-|-'));
      for (const row of table) after.push(line(row));
      after.push('');
    }
  }
  for (const run of [full, ladder?.guanxiThere && ladder.guanxiThere !== full ? ladder.guanxiThere : null]) {
    if (run?.profile) after.push(`guanxi ingestion (${run.label}) ${run.profile.join('\n')}`, '');
  }
  for (const rung of ladder?.rungs ?? []) if (rung.profile) after.push(`naive lowdb at ${pct(rung.fraction)} ${rung.profile.join('\n')}`, '');
  return { rows, notes, after };
}
