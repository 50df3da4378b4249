import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ServerMessage, ParentMessage } from './messages.ts';

/**
 * The bench's server process, started by run.ts with an IPC channel, so that
 * its start-up time, memory and event-loop stalls are its own.
 *
 *   BENCH_MODE=guanxi  the real server: startServer(loadConfig(env)) with the env given
 *   BENCH_MODE=bare    a bare Bolt app (ExpressReceiver, same signing secret) whose
 *                      /crm listener only acknowledges: the throughput baseline
 *
 * It reports over IPC (see messages.ts) and logs only to stderr. With
 * BENCH_STARTUP_PROFILE set to a path, it writes a CPU profile of its
 * start there; run.ts can also ask it to profile a load.
 */

const mode = process.env.BENCH_MODE;
if (mode !== 'guanxi' && mode !== 'bare') {
  console.error('serve.ts: set BENCH_MODE to guanxi or bare');
  process.exit(2);
}
if (!process.send) {
  console.error('serve.ts: start me with an IPC channel (run.ts does)');
  process.exit(2);
}

function send(message: ServerMessage): void {
  process.send?.(message);
}

const stderrLog = {
  info: (message: string) => void process.stderr.write(`info ${message}\n`),
  warn: (message: string, cause?: unknown) => void process.stderr.write(`warn ${message}${cause === undefined ? '' : `: ${describe(cause)}`}\n`),
  error: (message: string, cause?: unknown) => void process.stderr.write(`error ${message}${cause === undefined ? '' : `: ${describe(cause)}`}\n`),
};

function describe(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}

/** Event-loop delay: the histogram (1 ms resolution) and a count of stalls over 50 ms. */
const delay = monitorEventLoopDelay({ resolution: 1 });
let longStalls = 0;
let lastTick = performance.now();
const tickMs = 5;
const stallTicker = setInterval(() => {
  const now = performance.now();
  if (now - lastTick - tickMs > 50) longStalls++;
  lastTick = now;
}, tickMs);

interface Running {
  url: string;
  stop(): Promise<void>;
}

async function start(): Promise<Running> {
  const env = process.env;
  if (mode === 'guanxi') {
    const { startServer } = await import('../../adapters/server.ts');
    const { loadConfig } = await import('../../src/config.ts');
    const config = loadConfig(env);
    const began = performance.now();
    const server = await startServer(config, { log: stderrLog });
    await healthz(server.url);
    send({ type: 'started', startupMs: performance.now() - began, sinceProcessStartMs: performance.now() });
    return server;
  }
  const { App, ExpressReceiver, LogLevel } = await import('@slack/bolt');
  const began = performance.now();
  const receiver = new ExpressReceiver({ signingSecret: required('SLACK_SIGNING_SECRET'), endpoints: '/slack/events', logLevel: LogLevel.WARN });
  const app = new App({
    receiver,
    token: required('SLACK_BOT_TOKEN'),
    clientOptions: { slackApiUrl: required('SLACK_API_URL') },
    deferInitialization: true,
    logLevel: LogLevel.WARN,
  });
  await app.init();
  app.command('/crm', async ({ ack }) => {
    await ack();
  });
  receiver.app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  const http = await receiver.start({ port: 0, host: '127.0.0.1' });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('the bare app has no port');
  const url = `http://127.0.0.1:${address.port}`;
  await healthz(url);
  send({ type: 'started', startupMs: performance.now() - began, sinceProcessStartMs: performance.now() });
  return { url, stop: () => receiver.stop() };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`serve.ts: ${name} is not set`);
  return value;
}

async function healthz(url: string): Promise<void> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  await response.text();
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
}

function memory() {
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

/** A CPU profile of this thread (not of its workers), from `start` until `stop` writes it. */
class Profiler {
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

let running: Running | null = null;
const profiler = new Profiler();

process.on('message', (raw) => {
  const message = raw as ParentMessage;
  switch (message.type) {
    case 'memory':
      send({ type: 'memory', ...memory() });
      break;
    case 'stall-reset':
      delay.reset();
      longStalls = 0;
      send({ type: 'stall-reset' });
      break;
    case 'stall-read':
      send({
        type: 'stall',
        maxMs: delay.max / 1e6,
        p99Ms: delay.percentile(99) / 1e6,
        meanMs: delay.mean / 1e6,
        over50ms: longStalls,
      });
      break;
    case 'profile-start':
      void profiler.start().then(() => send({ type: 'profile-started' }));
      break;
    case 'profile-stop':
      void profiler.stop(message.path).then(
        () => send({ type: 'profile-written', path: message.path }),
        (error: unknown) => send({ type: 'failed', phase: 'profile', message: describe(error) }),
      );
      break;
    case 'stop':
      void (async () => {
        clearInterval(stallTicker);
        delay.disable();
        try {
          await running?.stop();
          send({ type: 'stopped' });
        } catch (error) {
          send({ type: 'failed', phase: 'stop', message: describe(error) });
        }
        process.disconnect();
      })();
      break;
  }
});
process.on('disconnect', () => {
  // The parent is gone: do not linger.
  setTimeout(() => process.exit(0), 100).unref();
});

try {
  delay.enable();
  const startupProfile = process.env.BENCH_STARTUP_PROFILE;
  if (startupProfile) await profiler.start();
  running = await start();
  if (startupProfile) await profiler.stop(startupProfile);
  const ready = memory();
  send({ type: 'ready', url: running.url, ...ready });
} catch (error) {
  send({ type: 'failed', phase: 'start', message: describe(error) });
  process.exitCode = 1;
  process.disconnect();
}
