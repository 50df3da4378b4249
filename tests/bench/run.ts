import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { fakeWorkspace, startSlackFake, type SlackFake } from '../support/slack-fake.ts';
import { nodeBinary, ServerProcess } from './child.ts';
import { fullSize, generateDataset, sizeForScale, type Dataset, type DatasetSize } from './dataset.ts';
import { percentile, ResponseSink, runLoad, SlashCommands, type LoadResult, type Outcome } from './load.ts';
import { bytes, int, ms, rate, step, verdict, type Row } from './format.ts';
import { formatSummary, summarizeProfile } from './profile-summary.ts';
import { countFailures, guanxiIngest, ingestRows, naiveLadder, type GuanxiIngest, type IngestFigures, type IngestOptions, type NaiveLadder } from './ingest-bench.ts';
import type { MemoryFigures, StallFigures } from './messages.ts';
import { migrateInto } from './postgres-bench.ts';
import { createDatabase, startPostgresServer } from '../support/postgres-server.ts';

/**
 * `npm run bench [-- --scale 0.01]`: builds the synthetic dataset of issue 4
 * and prints each figure beside its baseline and target, all measured in this
 * run. The servers run in child processes (serve.ts), so their start-up time,
 * memory and event-loop stalls are their own. It is a report: it exits 0 when
 * it printed, whether or not the targets were met, and 1 only if the bench
 * itself broke, or ingestion's counts disagree (what it reported, what the
 * mail mix expected, what the store holds): then it prints BENCH FAILURE.
 *
 * Flags (or BENCH_<NAME> in the environment, e.g. BENCH_SCALE=0.01):
 *   --scale S              dataset size relative to issue 4's (default 1)
 *   --customers/--contacts/--interactions N   override one count
 *   --seed TEXT            dataset seed (default guanxi-bench-1)
 *   --requests N           measured /crm find requests (default 10000: a few seconds each, long enough for both apps to settle)
 *   --concurrency N        requests in flight (default 50)
 *   --writes N             sequential /crm log commands (default 200)
 *   --find-time-limit S    stop the find load after S seconds (default 180)
 *   --write-time-limit S   stop the writes after S seconds (default 300)
 *   --start-timeout S      give up on a server start after S seconds (default 600)
 *   --data-root DIR        where the temporary DATA_DIRs go (default the OS temp folder)
 *   --keep                 keep the generated DATA_DIRs
 *   --only LIST            run only these sections, comma-separated: server (start-up, memory,
 *                          /crm find, /crm log, /crm digest), ingest (guanxi's ingestion throughput on the
 *                          dataset), naive (the naive lowdb baseline by size, and guanxi at the
 *                          largest size it survived), postgres (migrate --to a throwaway PostgreSQL
 *                          server, then start-up, /crm find and /crm digest on it); default all four
 *   --ingest-messages N    messages per ingestion run (default 100,000 × scale, at least 2,000)
 *   --ingest-time-limit S  stop an ingestion run after S seconds (default 60)
 *   --ingest-concurrency N pages in flight at once, as several mailboxes backfilling (default 1)
 *   --naive-sizes LIST     fractions of the dataset to try the naive baseline on, smallest first,
 *                          stopping at the first it does not survive (default 0.01,0.1,0.25,0.5,1)
 *   --naive-time-limit S   the naive baseline's loop at each size stops after S seconds
 *                          (default 30; 3 at --scale 0.01)
 *   --cpu-prof             write CPU profiles (in --profile-dir) of each ingestion loop, of the server's
 *                          two starts on the dataset (first and restart) and of each /crm find load, and print where their time went
 *   --profile-dir DIR      where the profiles go (default bench-profiles in the OS temp folder)
 */

const secret = 'bench-signing-secret';
/** A command whose reply is short, loaded like /crm find: what guanxi's path through Bolt costs without a card. */
const shortCommand = { text: 'help log', replyHas: '/crm log' };
const replyTimeoutMs = 30_000;
/** An admin's digest covers the whole team; the manager's version of its at-risk section names A and B customers. */
const digestCommand = { text: 'digest', replyHas: 'A and B customers at risk' };
/** The whole team's digest reads every A and B customer's facts: it may take a while on a large store. */
const digestTimeoutMs = 300_000;

interface Options {
  size: DatasetSize;
  scale: number;
  seed: string;
  requests: number;
  concurrency: number;
  writes: number;
  findTimeLimitMs: number;
  writeTimeLimitMs: number;
  startTimeoutMs: number;
  dataRoot: string;
  keep: boolean;
  sections: ReadonlySet<Section>;
  ingest: IngestOptions;
}

const allSections = ['server', 'ingest', 'naive', 'postgres'] as const;
type Section = (typeof allSections)[number];

function readOptions(): Options {
  const names = [
    'scale', 'customers', 'contacts', 'interactions', 'seed', 'requests', 'concurrency', 'writes', 'find-time-limit', 'write-time-limit', 'start-timeout', 'data-root',
    'only', 'ingest-messages', 'ingest-time-limit', 'ingest-concurrency', 'naive-sizes', 'naive-time-limit', 'profile-dir',
  ] as const;
  const { values } = parseArgs({
    options: { ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])), keep: { type: 'boolean' as const }, 'cpu-prof': { type: 'boolean' as const } },
    strict: true,
  });
  const raw = (name: (typeof names)[number]): string | undefined =>
    (values as Record<string, string | undefined>)[name] ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  const number = (name: (typeof names)[number], fallback: number, min: number): number => {
    const text = raw(name);
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}, not "${text}"`);
    return value;
  };
  const scale = number('scale', 1, Number.MIN_VALUE);
  const size = sizeForScale(scale);
  size.customers = Math.round(number('customers', size.customers, 1));
  size.contacts = Math.round(number('contacts', Math.max(size.contacts, size.customers), size.customers));
  size.interactions = Math.round(number('interactions', size.interactions, 0));
  const sections = new Set<Section>();
  for (const name of (raw('only') || allSections.join(',')).split(',').map((part) => part.trim()).filter(Boolean)) {
    if (!(allSections as readonly string[]).includes(name)) throw new Error(`--only takes ${allSections.join(', ')} (comma-separated), not "${name}"`);
    sections.add(name as Section);
  }
  const naiveFractions = (raw('naive-sizes') || '0.01,0.1,0.25,0.5,1').split(',').map((part) => Number(part.trim()));
  if (naiveFractions.some((f) => !(f > 0 && f <= 1))) throw new Error(`--naive-sizes takes fractions in (0, 1], comma-separated, not "${raw('naive-sizes')}"`);
  const startTimeoutMs = number('start-timeout', 600, 1) * 1000;
  const seed = raw('seed') || 'guanxi-bench-1';
  return {
    size,
    scale,
    seed,
    requests: Math.round(number('requests', 10_000, 1)),
    concurrency: Math.round(number('concurrency', 50, 1)),
    writes: Math.round(number('writes', 200, 1)),
    findTimeLimitMs: number('find-time-limit', 180, 1) * 1000,
    writeTimeLimitMs: number('write-time-limit', 300, 1) * 1000,
    startTimeoutMs,
    dataRoot: raw('data-root') || tmpdir(),
    keep: values.keep === true || process.env.BENCH_KEEP === '1',
    sections,
    ingest: {
      seed,
      messages: Math.round(number('ingest-messages', Math.max(2000, Math.round(100_000 * scale)), 1)),
      timeLimitMs: number('ingest-time-limit', 60, 0.1) * 1000,
      batchSize: 100,
      concurrency: Math.round(number('ingest-concurrency', 1, 1)),
      naiveFractions,
      naiveTimeLimitMs: number('naive-time-limit', Math.min(30, Math.max(3, 300 * scale)), 0.1) * 1000,
      childTimeoutMs: startTimeoutMs,
      cpuProf: values['cpu-prof'] === true || process.env.BENCH_CPU_PROF === '1',
      profileDir: raw('profile-dir') || join(tmpdir(), 'bench-profiles'),
    },
  };
}

// --- Phases ------------------------------------------------------------------

interface FindFigures {
  load: LoadResult;
  stalls: StallFigures | null;
  cpu: Cpu;
}

/** CPU used during a load, as a percentage of one core: the server's, and this process's (client, sink, Slack fake). */
interface Cpu {
  serverPct: number;
  benchPct: number;
}

async function withCpu<T>(server: ServerProcess, run: () => Promise<T>): Promise<{ value: T; cpu: Cpu }> {
  const serverBefore = (await server.memory()).cpuMs;
  const benchBefore = process.cpuUsage();
  const began = performance.now();
  const value = await run();
  const wall = performance.now() - began;
  const serverAfter = (await server.memory()).cpuMs;
  const bench = process.cpuUsage(benchBefore);
  return { value, cpu: { serverPct: ((serverAfter - serverBefore) / wall) * 100, benchPct: ((bench.user + bench.system) / 1000 / wall) * 100 } };
}

interface PostgresFigures {
  migrated: { ms: number; records: number };
  started: ServerProcess['started'];
  find: { load: LoadResult; cpu: Cpu };
  digestMs: number;
}

interface WriteFigures {
  load: LoadResult;
  stalls: StallFigures;
  memoryAfter: MemoryFigures;
}

interface Phase<T> {
  value: T | null;
  /** Why there is no value: the honest reason, printed in the table. */
  problem: string | null;
}

async function attempt<T>(what: string, run: () => Promise<T>): Promise<Phase<T>> {
  try {
    return { value: await run(), problem: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    step(`${what} failed: ${message}`);
    return { value: null, problem: message };
  }
}

function serverEnv(dataDir: string, slack: SlackFake): Record<string, string> {
  return {
    PORT: '0',
    DATA_DIR: dataDir,
    SLACK_SIGNING_SECRET: secret,
    SLACK_BOT_TOKEN: fakeWorkspace.botToken,
    SLACK_API_URL: slack.apiUrl,
    TZ_DEFAULT: 'UTC',
  };
}

/**
 * `/crm find <exact name>`, `concurrency` in flight; for guanxi each one waits
 * for its card. With `fixed`, the same command every time instead, whose reply
 * must hold `replyHas`.
 */
async function findLoad(
  server: ServerProcess,
  sink: ResponseSink,
  members: readonly string[],
  names: readonly string[],
  options: { planned: number; concurrency: number; timeLimitMs: number; expectReply: boolean; fixed?: { text: string; replyHas: string } },
): Promise<LoadResult> {
  const { fixed } = options;
  const client = new SlashCommands(server.url, secret);
  try {
    return await runLoad({
      planned: options.planned,
      concurrency: options.concurrency,
      timeLimitMs: options.timeLimitMs,
      one: async (index): Promise<Outcome> => {
        const name = names[index % names.length]!;
        const user = members[index % members.length]!;
        if (!options.expectReply) {
          const ack = await client.send(user, `find ${name}`, `${sink.base}/r/unused`, replyTimeoutMs);
          if (ack.status !== 200) return { ok: false, error: `ack HTTP ${ack.status}` };
          return { ok: true, ackMs: ack.at - ack.sentAt, replyMs: null };
        }
        const expected = sink.expect(replyTimeoutMs);
        expected.reply.catch(() => {});
        const ack = await client.send(user, fixed?.text ?? `find ${name}`, expected.url, replyTimeoutMs);
        if (ack.status !== 200) return { ok: false, error: `ack HTTP ${ack.status}: ${ack.body.slice(0, 100)}` };
        const reply = await replyOf(ack, expected.reply);
        if (fixed && !reply.body.includes(fixed.replyHas)) return { ok: false, error: `the reply to /crm ${fixed.text} lacks "${fixed.replyHas}": ${reply.body.slice(0, 160)}` };
        if (!fixed && (!reply.body.includes(JSON.stringify(name).slice(1, -1)) || reply.body.includes('No customer matches'))) {
          return { ok: false, error: `the reply is not ${name}'s card: ${reply.body.slice(0, 160)}` };
        }
        return { ok: true, ackMs: ack.at - ack.sentAt, replyMs: reply.at - ack.sentAt };
      },
    });
  } finally {
    client.close();
  }
}

/**
 * The reply as Slack would show it: the ack's own body when the app answered
 * there (a fast command), else what arrived at the response_url.
 */
function replyOf(ack: { body: string; at: number }, later: Promise<{ body: string; at: number }>): Promise<{ body: string; at: number }> {
  return ack.body.trim() ? Promise.resolve({ body: ack.body, at: ack.at }) : later;
}

/** One command from `user`, timed from sending it until its reply (holding `replyHas`) has arrived. */
async function timedCommand(server: ServerProcess, sink: ResponseSink, user: string, command: { text: string; replyHas: string }, timeoutMs: number): Promise<number> {
  const client = new SlashCommands(server.url, secret);
  try {
    const expected = sink.expect(timeoutMs);
    expected.reply.catch(() => {});
    const ack = await client.send(user, command.text, expected.url, timeoutMs);
    if (ack.status !== 200) throw new Error(`/crm ${command.text}: ack HTTP ${ack.status}: ${ack.body.slice(0, 100)}`);
    const reply = await replyOf(ack, expected.reply);
    if (!reply.body.includes(command.replyHas)) throw new Error(`the reply to /crm ${command.text} lacks "${command.replyHas}": ${reply.body.slice(0, 160)}`);
    return reply.at - ack.sentAt;
  } finally {
    client.close();
  }
}

/** `count` sequential `/crm log "<customer>" note …`, each until its reply arrives, with the event-loop stalls meanwhile. */
async function writeLoad(
  server: ServerProcess,
  sink: ResponseSink,
  members: readonly string[],
  names: readonly string[],
  options: { count: number; timeLimitMs: number },
): Promise<WriteFigures> {
  const client = new SlashCommands(server.url, secret);
  try {
    await server.resetStalls();
    const load = await runLoad({
      planned: options.count,
      concurrency: 1,
      timeLimitMs: options.timeLimitMs,
      one: async (index): Promise<Outcome> => {
        const name = names[index % names.length]!;
        const expected = sink.expect(replyTimeoutMs);
        expected.reply.catch(() => {});
        const text = `log "${name}" note Bench write ${index + 1}: walked through the renewal terms, they will confirm next week.`;
        const ack = await client.send(members[index % members.length]!, text, expected.url, replyTimeoutMs);
        if (ack.status !== 200) return { ok: false, error: `ack HTTP ${ack.status}: ${ack.body.slice(0, 100)}` };
        const reply = await replyOf(ack, expected.reply);
        if (!reply.body.includes('Logged a note')) return { ok: false, error: `the reply does not confirm the note: ${reply.body.slice(0, 160)}` };
        return { ok: true, ackMs: ack.at - ack.sentAt, replyMs: reply.at - ack.sentAt };
      },
    });
    const stalls = await server.readStalls();
    return { load, stalls, memoryAfter: await server.memory() };
  } finally {
    client.close();
  }
}

/** How many of guanxi's cards the bare app sends back in turn: enough for their average size to be the load's. */
const cardsKept = 100;

/** The bodies of guanxi's answers to `/crm find` for the first names of the load: cards, as Slack receives them. */
async function someCards(server: ServerProcess, sink: ResponseSink, members: readonly string[], names: readonly string[]): Promise<string[]> {
  const client = new SlashCommands(server.url, secret);
  try {
    const cards: string[] = [];
    for (const [n, name] of names.slice(0, cardsKept).entries()) {
      const expected = sink.expect(replyTimeoutMs);
      expected.reply.catch(() => {});
      const ack = await client.send(members[n % members.length]!, `find ${name}`, expected.url, replyTimeoutMs);
      const reply = await replyOf(ack, expected.reply);
      if (!reply.body.includes('"blocks"')) throw new Error(`the answer to /crm find ${name} is not a card: ${reply.body.slice(0, 160)}`);
      cards.push(reply.body);
    }
    return cards;
  } finally {
    client.close();
  }
}

/** Runs `load`, under a CPU profile of the server when a path is given. */
async function profiledLoad<T>(server: ServerProcess, path: Promise<string | null>, load: () => Promise<T>): Promise<T> {
  const at = await path;
  return at ? server.profiled(at, load) : load();
}

/**
 * Writes out what the bench wrote (the dataset, ingestion's copies) before a
 * start-up is timed. Otherwise the kernel writes those hundreds of megabytes
 * back half a minute later, in the middle of the start, on the same cores.
 */
async function settleDisk(): Promise<void> {
  await promisify(execFile)('sync');
}

/** A few commands first: JIT, keep-alive sockets, and each member's one-time profile look-up. */
/** Stops `server` (see ServerProcess.stop) and says how long it took; a server that had to be killed is a failure. */
async function timedStop(server: ServerProcess): Promise<number> {
  const started = performance.now();
  const stopped = await server.stop(120_000);
  if (stopped === 'killed') throw new Error('it did not exit within 120 s and was killed');
  return performance.now() - started;
}

async function warmUp(server: ServerProcess, sink: ResponseSink, members: readonly string[], names: readonly string[], expectReply: boolean): Promise<void> {
  const load = await findLoad(server, sink, members, names, { planned: Math.max(500, members.length * 3), concurrency: 10, timeLimitMs: 60_000, expectReply });
  if (load.ok === 0) throw new Error(`every warm-up request failed: ${[...load.errors.keys()].join('; ')}`);
}

// --- Main --------------------------------------------------------------------

async function main(): Promise<void> {
  const options = readOptions();
  const major = Number(/^v(\d+)/.exec(process.version)?.[1]);
  if (major < 24) throw new Error(`the bench needs Node 24 (run it with npm run bench); this is ${process.version}`);

  const cpuList = cpus();
  const header = [
    `guanxi bench, ${new Date().toISOString()}`,
    `machine: ${cpuList.length} cores (${cpuList[0]?.model.trim() ?? 'unknown CPU'}), ${bytes(totalmem())} memory (${bytes(freemem())} free), ${process.platform} ${release()}`,
    `node: ${process.version} (${nodeBinary()})`,
    `load average at start: ${loadavg().map((n) => n.toFixed(2)).join(', ')} (1, 5, 15 min); other work on the machine slows every figure`,
  ];
  for (const line of header) console.log(line);
  const benchStarted = performance.now();

  const root = await mkdtemp(join(options.dataRoot, 'guanxi-bench-'));
  const slack = await startSlackFake();
  const sink = await ResponseSink.start();
  const running: ServerProcess[] = [];
  const io = options.ingest;
  const profiles: string[] = [];
  const profilePath = async (name: string): Promise<string | null> => {
    if (!io.cpuProf) return null;
    await mkdir(io.profileDir, { recursive: true });
    const path = join(io.profileDir, `${name}.cpuprofile`);
    profiles.push(path);
    return path;
  };
  const startServer = async (mode: 'guanxi' | 'bare', dataDir: string, startupProfile: string | null = null, extraEnv: Record<string, string> = {}) => {
    const env = { ...serverEnv(dataDir, slack), ...(startupProfile ? { BENCH_STARTUP_PROFILE: startupProfile } : {}), ...extraEnv };
    const server = await ServerProcess.start(mode, env, options.startTimeoutMs);
    running.push(server);
    return server;
  };
  try {
    step(`generating ${int(options.size.customers)} customers, ${int(options.size.contacts)} contacts, ${int(options.size.interactions)} interactions in ${root}`);
    const dataset = await generateDataset(join(root, 'full'), options.size, { seed: options.seed });
    // The baseline store: the same generator, a handful of records.
    const tiny = await generateDataset(join(root, 'tiny'), { customers: 10, contacts: 30, interactions: 100, reminders: 2, members: dataset.size.members }, { seed: options.seed });
    for (const member of dataset.members) slack.addUser(member);
    const members = dataset.members.map((m) => m.id);
    console.log(
      `dataset: ${int(dataset.size.customers)} customers, ${int(dataset.size.contacts)} contacts, ${int(dataset.size.interactions)} interactions, ` +
        `${int(dataset.size.reminders)} reminders, ${dataset.size.members} members (scale ${options.scale}, seed ${dataset.seed}); ` +
        `${bytes(dataset.totalBytes)} on disk (interactions.json ${bytes(dataset.files['interactions.json'])}); generated in ${ms(dataset.generatedMs)}; ` +
        `${int(dataset.validated.records)} of ${int(dataset.validated.of)} records checked against the schemas`,
    );
    console.log(`timelines: busiest customer ${int(dataset.busiest.interactions)} interactions, median ${int(dataset.medianInteractions)}`);
    if (options.sections.has('server')) console.log(`load: ${int(options.requests)} /crm find requests, ${options.concurrency} in flight; ${options.writes} sequential /crm log commands`);
    if (options.sections.has('ingest') || options.sections.has('naive')) {
      console.log(
        `ingestion: up to ${int(io.messages)} messages or ${ms(io.timeLimitMs)} per run, pages of ${io.batchSize}, ${io.concurrency} in flight` +
          (options.sections.has('naive') ? `; naive lowdb at ${io.naiveFractions.map((f) => `${+(f * 100).toFixed(2)}%`).join(', ')} of the dataset, up to ${ms(io.naiveTimeLimitMs)} each` : ''),
      );
    }
    if (options.sections.size < allSections.length) console.log(`sections: ${[...options.sections].join(', ')} (--only)`);
    console.log('');

    // Ingestion first: it works on copies of the dataset, which the server section then changes.
    const ingest: IngestFigures = { full: null, ladder: null };
    if (options.sections.has('ingest')) {
      step(`guanxi ingestion on the generated dataset (a copy): up to ${int(io.messages)} messages or ${ms(io.timeLimitMs)}`);
      ingest.full = await attempt<GuanxiIngest>('guanxi ingestion', () => guanxiIngest(io, 'the dataset', dataset.dir, dataset.size, dataset.members, join(root, 'ingest')));
    }
    if (options.sections.has('naive')) {
      ingest.ladder = await attempt<NaiveLadder>('naive baseline', () => naiveLadder(io, dataset, root, ingest.full?.value ?? null));
    }

    const skipped = <T,>(): Phase<T> => ({ value: null, problem: 'not run (--only)' });
    let bare: Phase<{ started: ServerProcess['started']; load: LoadResult; cpu: Cpu }> = skipped();
    let small: Phase<{ started: ServerProcess['started']; writes: WriteFigures; log: ServerProcess['log']; stopMs: number }> = skipped();
    let fullStart: Phase<ServerProcess> = skipped();
    let find: Phase<FindFigures> = skipped();
    let short: Phase<FindFigures> = skipped();
    let writes: Phase<WriteFigures> = skipped();
    let bareCard: Phase<{ load: LoadResult; cpu: Cpu; cardBytes: number }> = skipped();
    let restart: Phase<ServerProcess['started']> = skipped();
    let stop: Phase<number> = skipped();
    let digest: Phase<number> = skipped();
    let postgres: Phase<PostgresFigures> = skipped();
    if (options.sections.has('server')) {
      // 1. The bare Bolt app: how fast this machine and client can go with no work behind the ack.
      step('bare Bolt app: start, then /crm find load (ack only)');
      bare = await attempt('bare app', async () => {
        const server = await startServer('bare', join(root, 'bare-unused'));
        await warmUp(server, sink, members, dataset.findNames, false);
        const { value: load, cpu } = await withCpu(server, () =>
          profiledLoad(server, profilePath('bare-find'), () =>
            findLoad(server, sink, members, dataset.findNames, { planned: options.requests, concurrency: options.concurrency, timeLimitMs: options.findTimeLimitMs, expectReply: false }),
          ),
        );
        await server.stop();
        return { started: server.started, load, cpu };
      });

      // 2. guanxi on a handful of records: the baseline for start-up, memory and writes.
      step('guanxi on the tiny store: start, then sequential /crm log');
      small = await attempt('guanxi on the tiny store', async () => {
        const server = await startServer('guanxi', tiny.dir);
        await warmUp(server, sink, members, tiny.findNames, true);
        const writes = await writeLoad(server, sink, members, tiny.logNames, { count: options.writes, timeLimitMs: options.writeTimeLimitMs });
        const stopMs = await timedStop(server);
        return { started: server.started, writes, log: server.log, stopMs };
      });

      // 3. guanxi on the generated dataset.
      step(`guanxi on the generated dataset: start (up to ${options.startTimeoutMs / 1000} s)`);
      await settleDisk();
      fullStart = await attempt('guanxi start on the generated dataset', async () => startServer('guanxi', dataset.dir, await profilePath('guanxi-start')));
      find = { value: null, problem: 'not measured: the server did not start' };
      writes = { value: null, problem: 'not measured: the server did not start' };
      const full = fullStart.value;
      if (full) {
        step(`started in ${ms(full.started.startupMs)}, RSS ${bytes(full.started.memory.rss)}; /crm find load`);
        find = await attempt('/crm find load', async () => {
          await warmUp(full, sink, members, dataset.findNames, true);
          await full.resetStalls();
          const { value: load, cpu } = await withCpu(full, () =>
            profiledLoad(full, profilePath('guanxi-find'), () =>
              findLoad(full, sink, members, dataset.findNames, { planned: options.requests, concurrency: options.concurrency, timeLimitMs: options.findTimeLimitMs, expectReply: true }),
            ),
          );
          return { load, stalls: await full.readStalls(), cpu };
        });
        step(`the same load of /crm ${shortCommand.text}, whose reply is a few lines`);
        short = await attempt(`/crm ${shortCommand.text} load`, async () => {
          const { value: load, cpu } = await withCpu(full, () =>
            findLoad(full, sink, members, dataset.findNames, { planned: options.requests, concurrency: options.concurrency, timeLimitMs: options.findTimeLimitMs, expectReply: true, fixed: shortCommand }),
          );
          return { load, stalls: null, cpu };
        });
        step(`${options.writes} sequential /crm log (up to ${options.writeTimeLimitMs / 1000} s)`);
        writes = await attempt('/crm log writes', () => writeLoad(full, sink, members, dataset.logNames, { count: options.writes, timeLimitMs: options.writeTimeLimitMs }));
        step(`/crm ${digestCommand.text} from an admin: the whole team's digest`);
        digest = await attempt(`/crm ${digestCommand.text}`, () => timedCommand(full, sink, members[0]!, digestCommand, digestTimeoutMs));
        const cards = await attempt('cards to send back', () => someCards(full, sink, members, dataset.findNames));
        step('stopping the server');
        stop = await attempt('stopping the server', () => timedStop(full));

        // 3b. A restart: the close compacted interactions.json after the writes, and wrote its index with it.
        step('guanxi restarted on the same folder, with interactions.index');
        await settleDisk();
        restart = await attempt('guanxi restart on the generated dataset', async () => {
          const again = await startServer('guanxi', dataset.dir, await profilePath('guanxi-restart'));
          await warmUp(again, sink, members, dataset.findNames, true);
          await again.stop(120_000);
          return again.started;
        });

        // 4. The bare app again, acknowledging each request with one of those cards: what sending cards costs Bolt, with no work behind them.
        bareCard = { value: null, problem: cards.problem ?? 'not measured' };
        if (cards.value) {
          const sent = cards.value;
          const cardFile = join(root, 'cards.json');
          await writeFile(cardFile, `[${sent.join(',')}]`);
          const cardBytes = sent.reduce((sum, card) => sum + Buffer.byteLength(card), 0) / sent.length;
          step(`bare Bolt app acking with ${sent.length} stored cards (${bytes(cardBytes)} on average): start, then the same load`);
          bareCard = await attempt('bare app acking with cards', async () => {
            const server = await startServer('bare', join(root, 'bare-unused'), null, { BENCH_BARE_REPLY: cardFile });
            await warmUp(server, sink, members, dataset.findNames, false);
            const { value: load, cpu } = await withCpu(server, () =>
              findLoad(server, sink, members, dataset.findNames, { planned: options.requests, concurrency: options.concurrency, timeLimitMs: options.findTimeLimitMs, expectReply: false }),
            );
            await server.stop();
            return { load, cpu, cardBytes };
          });
        }
      }
    }

    if (options.sections.has('postgres')) {
      step('PostgreSQL: a throwaway server on this machine, migrate --to it, then guanxi on it');
      postgres = await attempt('PostgreSQL', async () => {
        const server = await startPostgresServer();
        try {
          const database = await createDatabase(server);
          try {
            const migrated = await migrateInto(dataset.dir, database.url);
            step(`copied ${int(migrated.records)} records in ${ms(migrated.ms)}; guanxi on the database: start, /crm find load, /crm ${digestCommand.text}`);
            const guanxi = await startServer('guanxi', join(root, 'postgres-unused'), null, { DATABASE_URL: database.url });
            try {
              await warmUp(guanxi, sink, members, dataset.findNames, true);
              const { value: load, cpu } = await withCpu(guanxi, () =>
                findLoad(guanxi, sink, members, dataset.findNames, { planned: options.requests, concurrency: options.concurrency, timeLimitMs: options.findTimeLimitMs, expectReply: true }),
              );
              const digestMs = await timedCommand(guanxi, sink, members[0]!, digestCommand, digestTimeoutMs);
              return { migrated, started: guanxi.started, find: { load, cpu }, digestMs };
            } finally {
              await guanxi.stop(120_000);
            }
          } finally {
            await database.drop();
          }
        } finally {
          await server.stop();
        }
      });
    }

    printReport({ dataset, bare, bareCard, small, fullStart, restart, stop, find, short, writes, digest, postgres, ingest, options, serverLog: fullStart.value?.log ?? null, stray: sink.stray });
    for (const path of profiles) {
      if (!existsSync(path)) continue;
      console.log('');
      console.log(`CPU profile: ${path}`);
      for (const line of formatSummary(await summarizeProfile(path, 30), 15)) console.log(line);
    }
    console.log(`  - The bench took ${ms(performance.now() - benchStarted)} in all; load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(', ')} (1, 5, 15 min) on ${cpuList.length} cores.`);
    const wrong = countFailures(ingest);
    if (wrong.length > 0) {
      console.log('');
      console.log(`BENCH FAILURE: ${wrong.length} count(s) disagree between what ingestion reported, what the mail mix expected and what the store holds:`);
      for (const line of wrong) console.log(`  ${line}`);
      process.exitCode = 1;
    }
  } finally {
    for (const server of running) server.kill();
    await sink.close();
    await slack.close();
    if (options.keep) step(`kept the data in ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

// --- Report ------------------------------------------------------------------

function printReport(r: {
  dataset: Dataset;
  bare: Phase<{ started: ServerProcess['started']; load: LoadResult; cpu: Cpu }>;
  bareCard: Phase<{ load: LoadResult; cpu: Cpu; cardBytes: number }>;
  small: Phase<{ started: ServerProcess['started']; writes: WriteFigures; log: ServerProcess['log']; stopMs: number }>;
  fullStart: Phase<ServerProcess>;
  restart: Phase<ServerProcess['started']>;
  stop: Phase<number>;
  find: Phase<FindFigures>;
  short: Phase<FindFigures>;
  writes: Phase<WriteFigures>;
  digest: Phase<number>;
  postgres: Phase<PostgresFigures>;
  ingest: IngestFigures;
  options: Options;
  serverLog: ServerProcess['log'] | null;
  stray: number;
}): void {
  const { bare, small, find, writes, options } = r;
  const full = r.fullStart.value;
  const notes: string[] = [];
  const why = (phase: Phase<unknown>) => (phase.problem ? `not measured (see below)` : 'n/a');
  const rows: Row[] = [];

  if (options.sections.has('server')) {
    // Start-up and memory.
    const startup = full?.started.startupMs;
    const tinyStart = small.value?.started;
    const bareStart = bare.value?.started;
    const again = r.restart.value;
    rows.push([
      'start-up: startServer until /healthz answers',
      again ? ms(again.startupMs) : why(r.restart),
      `tiny store ${ms(tinyStart?.startupMs)}; bare Bolt ${ms(bareStart?.startupMs)}`,
      '< 5 s',
      verdict(again ? again.startupMs < 5000 : null),
    ]);
    rows.push(['  RSS after that start', bytes(again?.memory.rss), '', '< 1.5 GB', verdict(again ? again.memory.rss < 1.5e9 : null)]);
    rows.push([
      '  the first start, without interactions.index',
      full ? ms(startup) : 'did not start (see below)',
      'reads and checks every interaction',
      '< 5 s',
      verdict(startup === undefined ? null : startup < 5000),
    ]);
    rows.push([
      '  process spawn until ready (Node + modules too)',
      ms(full?.started.spawnToReadyMs),
      `tiny store ${ms(tinyStart?.spawnToReadyMs)}; bare Bolt ${ms(bareStart?.spawnToReadyMs)}`,
      '',
      '',
    ]);
    const rss = full?.started.memory.rss;
    rows.push([
      'resident memory (RSS) after start',
      bytes(rss),
      `tiny store ${bytes(tinyStart?.memory.rss)}; bare Bolt ${bytes(bareStart?.memory.rss)}`,
      '< 1.5 GB',
      verdict(rss === undefined ? null : rss < 1.5e9),
    ]);
    rows.push(['  peak RSS during start', bytes(full?.started.memory.maxRss), `tiny store ${bytes(tinyStart?.memory.maxRss)}`, '', '']);
    rows.push(['clean stop after the loads and writes', r.stop.value === null ? why(r.stop) : ms(r.stop.value), `tiny store ${ms(small.value?.stopMs)}`, '', '']);
    if (r.stop.problem) notes.push(`the clean stop: ${r.stop.problem}`);
    if (r.fullStart.problem) notes.push(`start-up on the generated dataset: ${r.fullStart.problem}`);
    if (r.restart.problem) notes.push(`the restart: ${r.restart.problem}`);
    notes.push('Start-up is timed twice on the generated dataset: its first start reads and checks every interaction, as the bench wrote interactions.json without an index; the close after the loads and writes below compacts it, writing interactions.index with it, and the restart reads that index instead, as every start of a folder the store has written does.');
    notes.push('The clean stop runs from asking the server to stop until its process has exited: the store flushes, compacts each collection that changed (interactions.json and its index among them) and closes.');

    // /crm find.
    const f = find.value?.load;
    const b = bare.value?.load;
    const fullP99Ack = f ? percentile(f.ackMs, 99) : undefined;
    const fullP99Reply = f ? percentile(f.replyMs, 99) : undefined;
    const ratio = f && b && b.throughput > 0 ? f.throughput / b.throughput : undefined;
    const findNote = f ? '' : why(find);
    rows.push(['/crm find: ack p50 (HTTP 200)', f ? ms(percentile(f.ackMs, 50)) : findNote, `bare Bolt ${b ? ms(percentile(b.ackMs, 50)) : why(bare)}`, '', '']);
    rows.push(['/crm find: ack p99', f ? ms(fullP99Ack) : findNote, `bare Bolt ${b ? ms(percentile(b.ackMs, 99)) : why(bare)}`, '< 100 ms', verdict(fullP99Ack === undefined ? null : fullP99Ack < 100)]);
    rows.push(['/crm find: reply at response_url p50', f ? ms(percentile(f.replyMs, 50)) : findNote, 'bare Bolt only acks', '', '']);
    rows.push(['/crm find: reply at response_url p99', f ? ms(fullP99Reply) : findNote, 'bare Bolt only acks', '< 100 ms', verdict(fullP99Reply === undefined ? null : fullP99Reply < 100)]);
    rows.push([
      `/crm find: throughput (${options.concurrency} in flight)`,
      f ? `${rate(f.throughput)} (${ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(0)}%`})` : findNote,
      `bare Bolt ${b ? rate(b.throughput) : why(bare)}`,
      '>= 70% of bare',
      verdict(ratio === undefined ? null : ratio >= 0.7),
    ]);
    rows.push(['  requests done / planned', f ? `${int(f.ok)} / ${int(f.planned)}` : findNote, b ? `${int(b.ok)} / ${int(b.planned)}` : '', '', '']);
    const cpu = (c: Cpu | undefined) => (c ? `server ${c.serverPct.toFixed(0)}%, bench ${c.benchPct.toFixed(0)}%` : 'n/a');
    rows.push(['  CPU during the load (100% = one core)', f ? cpu(find.value?.cpu) : findNote, `bare Bolt: ${cpu(bare.value?.cpu)}`, '', '']);
    rows.push(['  longest event-loop stall during the find load', ms(find.value?.stalls?.maxMs), '', '', '']);
    const k = r.bareCard.value;
    rows.push([
      '  the same, against a bare app acking with cards',
      f && k ? `${rate(f.throughput)} (${k.load.throughput > 0 ? `${((f.throughput / k.load.throughput) * 100).toFixed(0)}%` : 'n/a'})` : f ? why(r.bareCard) : findNote,
      k ? `bare Bolt acking stored cards (${bytes(k.cardBytes)}) ${rate(k.load.throughput)}` : why(r.bareCard),
      '',
      '',
    ]);
    if (r.bareCard.problem && r.bareCard.problem !== 'not run (--only)') notes.push(`bare Bolt app acking with cards: ${r.bareCard.problem}`);
    const c = r.short.value?.load;
    rows.push([
      `/crm ${shortCommand.text} (a short reply): throughput`,
      c ? `${rate(c.throughput)} (${b && b.throughput > 0 ? `${((c.throughput / b.throughput) * 100).toFixed(0)}%` : 'n/a'})` : why(r.short),
      `bare Bolt ${b ? rate(b.throughput) : why(bare)}`,
      '',
      '',
    ]);
    if (r.short.problem) notes.push(`/crm ${shortCommand.text}: ${r.short.problem}`);
    if (find.problem) notes.push(`/crm find: ${find.problem}`);
    if (bare.problem) notes.push(`bare Bolt app: ${bare.problem}`);
    for (const [label, load] of [['guanxi /crm find', f], ['bare Bolt /crm find', b], ['bare Bolt acking cards', k?.load], [`guanxi /crm ${shortCommand.text}`, c]] as const) {
      if (!load) continue;
      if (load.cutShort) notes.push(`${label}: stopped by the time limit (${options.findTimeLimitMs / 1000} s) after ${int(load.sent)} of ${int(load.planned)} requests`);
      for (const [error, count] of load.errors) notes.push(`${label}: ${count} × ${error}`);
    }

    // Writes.
    const w = writes.value;
    const s = small.value?.writes;
    const stall = w?.stalls.maxMs;
    const writeNote = w ? '' : why(writes);
    const perCommand = (fig: WriteFigures | undefined) => (fig ? `${ms(percentile(fig.load.replyMs, 50))} / ${ms(percentile(fig.load.replyMs, 99))}` : 'n/a');
    rows.push([
      `${options.writes} sequential /crm log: total`,
      w ? `${ms(w.load.wallMs)}${w.load.ok < w.load.planned ? ` (only ${w.load.ok} done${w.load.ok > 0 ? `; all ${w.load.planned} ≈ ${ms((w.load.wallMs / w.load.ok) * w.load.planned)} at that pace` : ''})` : ''}` : writeNote,
      `tiny store ${s ? ms(s.load.wallMs) : why(small)}`,
      '',
      '',
    ]);
    rows.push(['  each, until its reply: p50 / p99', w ? perCommand(w) : writeNote, `tiny store ${perCommand(s)}`, '', '']);
    rows.push(['  each, until the ack: p99', w ? ms(percentile(w.load.ackMs, 99)) : writeNote, `tiny store ${s ? ms(percentile(s.load.ackMs, 99)) : 'n/a'}`, '', '']);
    rows.push(['longest event-loop stall during the writes', w ? ms(stall) : writeNote, `tiny store ${ms(s?.stalls.maxMs)}`, '< 50 ms', verdict(stall === undefined ? null : stall < 50)]);
    rows.push(['  stalls over 50 ms / loop delay p99', w ? `${w.stalls.over50ms} / ${ms(w.stalls.p99Ms)}` : writeNote, s ? `tiny store ${s.stalls.over50ms} / ${ms(s.stalls.p99Ms)}` : '', '', '']);
    rows.push(['  RSS after the writes', bytes(w?.memoryAfter.rss), `tiny store ${bytes(s?.memoryAfter.rss)}`, '', '']);
    if (writes.problem) notes.push(`/crm log: ${writes.problem}`);
    if (small.problem) notes.push(`tiny store baseline: ${small.problem}`);
    for (const [label, load] of [['guanxi /crm log', w?.load], ['tiny store /crm log', s?.load]] as const) {
      if (!load) continue;
      if (load.cutShort) notes.push(`${label}: stopped by the time limit (${options.writeTimeLimitMs / 1000} s) after ${int(load.ok)} of ${int(load.planned)} commands`);
      for (const [error, count] of load.errors) notes.push(`${label}: ${count} × ${error}`);
    }
    if (r.serverLog && (r.serverLog.warnings > 0 || r.serverLog.errors > 0)) {
      notes.push(`the server on the generated dataset logged ${r.serverLog.warnings} warning(s) and ${r.serverLog.errors} error(s):${r.serverLog.tail(8)}`);
    }
    rows.push([`whole-team /crm ${digestCommand.text} (an admin), until its reply`, r.digest.value === null ? why(r.digest) : ms(r.digest.value), '', '', '']);
    if (r.digest.problem) notes.push(`/crm ${digestCommand.text}: ${r.digest.problem}`);
    if (r.stray > 0) notes.push(`${r.stray} response_url post(s) arrived after their request had timed out`);
  }

  if (options.sections.has('postgres')) {
    const p = r.postgres.value;
    const pgNote = p ? '' : why(r.postgres);
    const f = p?.find.load;
    const lowdbFind = find.value?.load;
    const b = bare.value?.load;
    const lowdbOr = (text: string | undefined) => (text === undefined ? 'files: not run (--only)' : `files ${text}`);
    rows.push([
      'PostgreSQL: npm run crm -- migrate --to a new database',
      p ? `${ms(p.migrated.ms)} (${int(p.migrated.records / (p.migrated.ms / 1000))} records/s)` : pgNote,
      p ? `${int(p.migrated.records)} records, every count checked` : '',
      '',
      '',
    ]);
    rows.push(['PostgreSQL: start-up (schema up to date)', p ? ms(p.started.startupMs) : pgNote, lowdbOr(r.restart.value ? ms(r.restart.value.startupMs) : undefined), '', '']);
    rows.push(['  RSS after start', p ? bytes(p.started.memory.rss) : pgNote, lowdbOr(r.restart.value ? bytes(r.restart.value.memory.rss) : undefined), '', '']);
    rows.push([
      'PostgreSQL: /crm find reply p50 / p99',
      f ? `${ms(percentile(f.replyMs, 50))} / ${ms(percentile(f.replyMs, 99))}` : pgNote,
      lowdbOr(lowdbFind ? `${ms(percentile(lowdbFind.replyMs, 50))} / ${ms(percentile(lowdbFind.replyMs, 99))}` : undefined),
      '',
      '',
    ]);
    rows.push([
      `PostgreSQL: /crm find throughput (${options.concurrency} in flight)`,
      f ? `${rate(f.throughput)}${b && b.throughput > 0 ? ` (${((f.throughput / b.throughput) * 100).toFixed(0)}% of bare Bolt)` : ''}` : pgNote,
      lowdbOr(lowdbFind ? rate(lowdbFind.throughput) : undefined),
      '',
      '',
    ]);
    rows.push(['  guanxi CPU during the load (PostgreSQL not counted)', p ? `server ${p.find.cpu.serverPct.toFixed(0)}%, bench ${p.find.cpu.benchPct.toFixed(0)}%` : pgNote, '', '', '']);
    rows.push([`PostgreSQL: whole-team /crm ${digestCommand.text}`, p ? ms(p.digestMs) : pgNote, lowdbOr(r.digest.value === null ? undefined : ms(r.digest.value)), '', '']);
    if (f) for (const [error, count] of f.errors) notes.push(`PostgreSQL /crm find: ${count} × ${error}`);
    if (r.postgres.problem) notes.push(`PostgreSQL: ${r.postgres.problem}`);
  }

  const ingest = ingestRows(r.ingest, options.ingest);
  rows.push(...ingest.rows);
  notes.push(...ingest.notes);

  const header: Row = ['figure', 'measured', 'baseline (same run)', 'target', 'verdict'];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: Row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const line of ingest.after) console.log(line);
  console.log('Notes:');
  console.log(`  - Full dataset: ${fullSize.customers.toLocaleString('en-US')} customers, ${fullSize.contacts.toLocaleString('en-US')} contacts, ${fullSize.interactions.toLocaleString('en-US')} interactions (issue 4); this run used scale ${options.scale}.`);
  if (options.sections.has('server')) {
    console.log('  - Latencies run from sending the signed request until its HTTP 200 (ack) and until the reply reached the response_url (reply).');
    console.log('  - Throughput counts completed requests per second: for guanxi the card has arrived at the response_url, for the bare Bolt app the ack.');
    console.log(`  - /crm ${shortCommand.text} is the same load with a reply of a few lines: the difference between it and /crm find is what building and sending the card costs.`);
    console.log(`  - The bare app acking with cards answers each request with one of ${cardsKept} cards guanxi sent in this run, in turn: what sending cards costs Bolt, with no work behind them.`);
    console.log('  - The load generator, the response_url sink and the Slack fake share the bench process ("bench" CPU); on a small machine they compete with the server for CPU.');
  }
  if (r.ingest.full || r.ingest.ladder) {
    console.log(`  - Ingestion: ingestMessages (src/ingest/ingest.ts) in a child process on openLowdbStore, fed Gmail-shaped messages in pages of ${options.ingest.batchSize} (tests/bench/mail-mix.ts); "messages" counts every message resolved, stored or skipped; each page is acknowledged only once its writes are fsynced.`);
    console.log('  - Counts: what ingestMessages reported, what the mail mix computed it should do, the store in memory after the run, and the files after close must all agree.');
  }
  if (options.sections.has('postgres')) {
    console.log('  - PostgreSQL: a throwaway cluster (initdb, no fsync) on this machine, or GUANXI_TEST_DATABASE_URL\'s server; migrate copies the dataset as the server section left it, and PostgreSQL\'s own CPU competes with guanxi\'s and the bench\'s.');
  }
  for (const note of notes) console.log(`  - ${note}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    const usage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || /^--/.test((error as Error).message ?? '');
    if (usage) console.error(`bench: ${(error as Error).message}\nSee the flags at the top of tests/bench/run.ts, e.g. npm run bench -- --scale 0.01`);
    else console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
