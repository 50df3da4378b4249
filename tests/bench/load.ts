import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fakeWorkspace } from '../support/slack-fake.ts';
import { newTriggerId, signSlackRequest } from '../support/slack-requests.ts';

/**
 * The bench's side of the wire: slash commands signed as Slack signs them,
 * sent over keep-alive HTTP; a response_url sink that notes when each reply
 * arrives and forgets it once read (so a long run does not grow memory); and
 * a closed-loop load runner bounded in count and time.
 */

export interface Arrival {
  /** performance.now() when the reply's body had arrived. */
  at: number;
  body: string;
}

/** Serves the response_urls: POST /r/<id>. */
export class ResponseSink {
  readonly #server: Server;
  readonly base: string;
  readonly #waiting = new Map<string, { resolve: (arrival: Arrival) => void; timer: NodeJS.Timeout }>();
  #next = 0;
  /** Posts nobody was waiting for (late, after a timeout, or repeated). */
  stray = 0;

  private constructor(server: Server, base: string) {
    this.#server = server;
    this.base = base;
  }

  static async start(): Promise<ResponseSink> {
    let sink: ResponseSink | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = performance.now();
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        const id = (req.url ?? '').replace(/^\/r\//, '');
        if (sink) sink.#arrive(id, { at, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new ResponseSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return sink;
  }

  /** A fresh response_url and the promise of its first post (rejected after `timeoutMs`). */
  expect(timeoutMs: number): { url: string; reply: Promise<Arrival> } {
    const id = String(++this.#next);
    const reply = new Promise<Arrival>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`no reply at the response_url within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(id, { resolve, timer });
    });
    return { url: `${this.base}/r/${id}`, reply };
  }

  #arrive(id: string, arrival: Arrival): void {
    const waiter = this.#waiting.get(id);
    if (!waiter) {
      this.stray++;
      return;
    }
    this.#waiting.delete(id);
    clearTimeout(waiter.timer);
    waiter.resolve(arrival);
  }

  close(): Promise<void> {
    for (const waiter of this.#waiting.values()) clearTimeout(waiter.timer);
    this.#waiting.clear();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

export interface Ack {
  status: number;
  body: string;
  /** performance.now() when the request was sent and when the whole answer had arrived. */
  sentAt: number;
  at: number;
}

/** Sends `/crm` commands to one app, the way Slack does (the fields of tests/support/slack-requests.ts). */
export class SlashCommands {
  readonly #url: URL;
  readonly #secret: string;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(baseUrl: string, secret: string) {
    this.#url = new URL('/slack/events', baseUrl);
    this.#secret = secret;
  }

  send(userId: string, text: string, responseUrl: string, timeoutMs: number): Promise<Ack> {
    const form = new URLSearchParams({
      token: 'fake-verification-token',
      team_id: fakeWorkspace.teamId,
      team_domain: fakeWorkspace.teamDomain,
      channel_id: 'C0FAKEGEN1',
      channel_name: 'general',
      user_id: userId,
      user_name: userId.toLowerCase(),
      command: '/crm',
      text,
      api_app_id: fakeWorkspace.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: newTriggerId(),
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(form)),
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signSlackRequest(this.#secret, timestamp, form),
    };
    return new Promise<Ack>((resolve, reject) => {
      const sentAt = performance.now();
      const req = request(this.#url, { method: 'POST', headers, agent: this.#agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sentAt, at: performance.now() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(form);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** One request's outcome: its latencies, or why it failed. */
export type Outcome = { ok: true; ackMs: number; replyMs: number | null } | { ok: false; error: string };

export interface LoadResult {
  planned: number;
  sent: number;
  ok: number;
  /** Failure messages and how often each happened. */
  errors: Map<string, number>;
  ackMs: number[];
  replyMs: number[];
  wallMs: number;
  /** Completed requests per second (ok ones). */
  throughput: number;
  /** True when the time limit stopped the run before `planned` requests. */
  cutShort: boolean;
}

/**
 * Runs `planned` requests, `concurrency` at a time (each worker sends its next
 * one when the last is done), stopping early at `timeLimitMs`.
 */
export async function runLoad(options: {
  planned: number;
  concurrency: number;
  timeLimitMs: number;
  one: (index: number) => Promise<Outcome>;
}): Promise<LoadResult> {
  const { planned, concurrency, timeLimitMs, one } = options;
  const result: LoadResult = { planned, sent: 0, ok: 0, errors: new Map(), ackMs: [], replyMs: [], wallMs: 0, throughput: 0, cutShort: false };
  const started = performance.now();
  const deadline = started + timeLimitMs;
  let next = 0;
  const worker = async () => {
    while (next < planned) {
      if (performance.now() > deadline) {
        result.cutShort = true;
        return;
      }
      const index = next++;
      result.sent++;
      let outcome: Outcome;
      try {
        outcome = await one(index);
      } catch (error) {
        outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      if (outcome.ok) {
        result.ok++;
        result.ackMs.push(outcome.ackMs);
        if (outcome.replyMs !== null) result.replyMs.push(outcome.replyMs);
      } else {
        result.errors.set(outcome.error, (result.errors.get(outcome.error) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, planned)) }, worker));
  result.wallMs = performance.now() - started;
  result.throughput = result.wallMs > 0 ? (result.ok / result.wallMs) * 1000 : 0;
  return result;
}

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
