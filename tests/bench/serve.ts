import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { AckFn, RespondArguments } from '@slack/bolt';
import { describe, memory, Profiler, StallWatch, stderrLog } from './child-kit.ts';
import type { ServerMessage, ParentMessage } from './messages.ts';

/**
 * The bench's server process, started by run.ts with an IPC channel, so that
 * its start-up time, memory and event-loop stalls are its own.
 *
 *   BENCH_MODE=guanxi  the real server: startServer(loadConfig(env)) with the env given
 *   BENCH_MODE=bare    a bare Bolt app (ExpressReceiver, same signing secret) whose
 *                      /crm listener only acknowledges: the throughput baseline;
 *                      with BENCH_BARE_REPLY (a JSON file of messages), it
 *                      acknowledges with them in turn instead, as guanxi does with cards
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

const stalls = new StallWatch();

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
  const replyFile = process.env.BENCH_BARE_REPLY;
  const replies = replyFile ? (JSON.parse(await readFile(replyFile, 'utf8')) as Parameters<AckFn<RespondArguments>>[0][]) : [];
  let answered = 0;
  app.command('/crm', async ({ ack }) => {
    await ack(replies.length > 0 ? replies[answered++ % replies.length] : undefined);
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

let running: Running | null = null;
const profiler = new Profiler();

process.on('message', (raw) => {
  const message = raw as ParentMessage;
  switch (message.type) {
    case 'memory':
      send({ type: 'memory', ...memory() });
      break;
    case 'stall-reset':
      stalls.reset();
      send({ type: 'stall-reset' });
      break;
    case 'stall-read':
      send({ type: 'stall', ...stalls.read() });
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
        stalls.stop();
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
/** Once the parent is gone, what the process still has to write gets this long before it ends rather than lingers. */
const exitGraceMs = 100;
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), exitGraceMs).unref();
});

try {
  stalls.start();
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
