import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock } from '../../src/clock.ts';
import { Recording } from './recording.ts';

/**
 * A stand-in for Slack's Web API and its response_urls, served over real HTTP
 * so the real @slack/web-api client and Bolt's respond() talk to it unchanged
 * (PLATFORMS.md A5 "Pointing the client at a fake"). It also plays Slack's side
 * of Socket Mode: `apps.connections.open` hands out a `ws://` URL on the same
 * port, where the fake says `hello` and delivers envelopes (`fake.socket`).
 */

/** The one workspace the fake serves; slack-requests.ts signs requests "from" it. */
export const fakeWorkspace = {
  teamId: 'T0FAKE0001',
  teamDomain: 'fake',
  teamName: 'Fake Workspace',
  appId: 'A0FAKE0001',
  botUserId: 'U0FAKEBOT1',
  botId: 'B0FAKEBOT1',
  botToken: 'xoxb-fake-bot-token',
  /** App-level token (`connections:write`), the one `apps.connections.open` takes. */
  appToken: 'xapp-1-A0FAKE0001-fake-app-token',
} as const;

export interface SlackFakeUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  /** IANA zone, e.g. `Europe/Berlin`; `tz_offset` is derived from it. */
  tz?: string;
  /** Left out of the profile when absent, as when `users:read.email` is missing. */
  email?: string;
  isBot?: boolean;
}

export interface SlackFakeOptions {
  /** Bearer tokens the fake accepts; default `[fakeWorkspace.botToken]`. */
  tokens?: string[];
  /** App-level tokens `apps.connections.open` accepts; default `[fakeWorkspace.appToken]`. */
  appTokens?: string[];
  users?: SlackFakeUser[];
  /** Stamps `ts`, `at` and response_url expiry; default the system clock. */
  clock?: Clock;
  /** The bot token's scopes, which Slack names in every answer's `x-oauth-scopes` header; default those of manifests/slack.yaml. */
  botScopes?: string[];
}

/** The bot scopes of manifests/slack.yaml: what an app created from it is granted. */
const manifestScopes = ['commands', 'chat:write', 'users:read', 'users:read.email', 'channels:history', 'groups:history'];

/** One Web API request, successful or not (`status`/`response` say which). */
export interface SlackApiCall {
  method: string;
  /** Arguments with JSON form fields (`blocks`, `view`, …) parsed back into objects; `token` removed. */
  args: Record<string, any>;
  token: string | undefined;
  at: Date;
  status: number;
  response: Record<string, any>;
}

/** One POST to a response_url. */
export interface SlackResponsePost {
  url: string;
  body: Record<string, any>;
  at: Date;
  /** 200 when Slack would have shown it; 404 once the URL is used up or expired. */
  status: number;
}

/** A Socket Mode envelope type (the `type` of what Slack sends over the socket). */
export type SocketEnvelopeType = 'slash_commands' | 'events_api' | 'interactive';

export interface SocketSendOptions {
  /** Default: true except for `events_api`, as Slack sends them. */
  acceptsResponsePayload?: boolean;
  /** `events_api` redeliveries: `retry_attempt` (default 0) and `retry_reason` (default ''). */
  retryAttempt?: number;
  retryReason?: string;
  timeoutMs?: number;
}

/** What the app sent back for an envelope: `{envelope_id, payload?}`. */
export interface SocketAck {
  envelope_id: string;
  /** The ack's body (`{}` for a bare ack; `{text}`, `{response_action,…}` … otherwise). */
  payload?: Record<string, any>;
  at: Date;
}

export interface SlackFakeSocket {
  /** Open Socket Mode connections (past `hello`). */
  readonly connections: number;
  /**
   * Delivers `payload` in an envelope of `type` on the newest connection and
   * resolves with the app's ack; rejects when none is connected, the socket
   * closes first or no ack comes within `timeoutMs`.
   */
  send(type: SocketEnvelopeType, payload: Record<string, unknown>, opts?: SocketSendOptions): Promise<SocketAck>;
  /** Resolves with the close code and reason once no connection is left open; at once if none is. */
  waitForDisconnect(timeoutMs?: number): Promise<{ code: number; reason: string }>;
}

/** `status` defaults to 429 and `retryAfter` (seconds) to 1; `error` answers HTTP 200 `{ok:false,error}`. */
/** A failure of the next call; with `channel`, of the next call to that channel only. */
export type SlackFailure = ({ status?: number; retryAfter?: number } | { error: string }) & { channel?: string };

export interface SlackFake {
  /** e.g. `http://127.0.0.1:PORT/api/`; pass as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly calls: readonly SlackApiCall[];
  readonly responses: readonly SlackResponsePost[];
  callsTo(method: string): SlackApiCall[];
  /** The messages posted (chat.postMessage) to a channel, or to a person's DM by their user id, oldest first. */
  postsTo(channel: string): SlackApiCall[];
  /** The first call, past or future, to `method` matching `predicate`. */
  waitFor(method: string, predicate?: (call: SlackApiCall) => boolean, timeoutMs?: number): Promise<SlackApiCall>;
  /** The first response_url post, past or future, matching `predicate`. */
  waitForResponse(predicate?: (post: SlackResponsePost) => boolean, timeoutMs?: number): Promise<SlackResponsePost>;
  addUser(user: SlackFakeUser): void;
  /** Queue a failure for the next call to `method`; several queue in order. */
  failNext(method: string, failure: SlackFailure): void;
  /** A fresh response_url on this server. */
  responseUrl(): string;
  /** Forget recorded calls, posts and queued failures (users and views stay). */
  reset(): void;
  /** Slack's side of Socket Mode. */
  readonly socket: SlackFakeSocket;
  /** Resolves once an app holds an open Socket Mode connection (after `hello`); at once if one does. */
  waitForSocket(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

// Slash-command docs: a response_url takes "up to 5" posts "within 30 minutes" (PLATFORMS.md A2).
const responseUrlMaxPosts = 5;
const responseUrlLifetimeMs = 30 * 60 * 1000;
const defaultWaitMs = 5000;

export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  const clock = options.clock ?? systemClock;
  const tokens = new Set(options.tokens ?? [fakeWorkspace.botToken]);
  const appTokens = new Set(options.appTokens ?? [fakeWorkspace.appToken]);
  const workspace = new FakeWorkspace(clock);
  for (const user of options.users ?? []) workspace.users.set(user.id, user);
  const calls = new Recording<SlackApiCall>();
  const posts = new Recording<SlackResponsePost>();
  const failures = new Map<string, SlackFailure[]>();
  const issuedUrls = new Map<string, { issuedAt: number; posts: number }>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { ok: false, error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const socket = new FakeSocketMode(baseUrl, clock);
  server.on('upgrade', (req, stream, head) => socket.upgrade(req, stream, head));
  // Methods that take the app-level token rather than the bot token.
  const appMethods: Record<string, MethodHandler> = {
    'apps.connections.open': () => ({ ok: true, url: socket.issueUrl() }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) return answerApi(url, req, raw, res);
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) return answerResponseUrl(url, raw, res);
    sendText(res, 404, 'not found');
  }

  function answerApi(url: URL, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const method = url.pathname.slice('/api/'.length);
    const parsed = parseArgs(req.headers['content-type'], raw, url.searchParams);
    const args = parsed.ok ? parsed.args : {};
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const reply = (status: number, response: Record<string, any>, headers: Record<string, string> = {}) => {
      calls.add({ method, args, token, at: clock.now(), status, response });
      sendJson(res, status, response, headers);
    };

    const appLevel = Object.hasOwn(appMethods, method);
    const handler = appLevel ? appMethods[method] : workspace.methods[method];
    if (!handler) return reply(200, { ok: false, error: 'unknown_method', req_method: method });
    const queued = failures.get(method) ?? [];
    const at = queued.findIndex((f) => f.channel === undefined || f.channel === args['channel']);
    const failure = at < 0 ? undefined : queued.splice(at, 1)[0];
    if (failure && 'error' in failure) return reply(200, { ok: false, error: failure.error });
    if (failure) {
      // WebClient retries a 429 only when Retry-After holds whole seconds (PLATFORMS.md A5).
      const status = failure.status ?? 429;
      const headers: Record<string, string> = status === 429 ? { 'Retry-After': String(failure.retryAfter ?? 1) } : {};
      return reply(status, { ok: false, error: status === 429 ? 'ratelimited' : 'fatal_error' }, headers);
    }
    // Slack answers auth and argument errors with HTTP 200 and ok:false.
    if (token === undefined) return reply(200, { ok: false, error: 'not_authed' });
    if (appLevel && !appTokens.has(token)) {
      // apps.connections.open takes only an app-level token: a bot token is the wrong kind.
      return reply(200, { ok: false, error: tokens.has(token) ? 'not_allowed_token_type' : 'invalid_auth' });
    }
    if (!appLevel && !tokens.has(token)) return reply(200, { ok: false, error: 'invalid_auth' });
    if (!parsed.ok) return reply(200, { ok: false, error: parsed.error });
    reply(200, handler(args), appLevel ? {} : { 'x-oauth-scopes': (options.botScopes ?? manifestScopes).join(',') });
  }

  function answerResponseUrl(url: URL, raw: string, res: ServerResponse): void {
    const issued = issuedUrls.get(url.pathname);
    let body: Record<string, any>;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendText(res, 400, 'invalid_payload');
    }
    // The fake's choice of words for the refusals; respond() only looks at the status.
    let status = 200;
    let answer = 'ok';
    if (!issued) [status, answer] = [404, 'no_service'];
    else if (clock.now().getTime() - issued.issuedAt > responseUrlLifetimeMs) [status, answer] = [404, 'expired_url'];
    else if (++issued.posts > responseUrlMaxPosts) [status, answer] = [404, 'used_url'];
    else if (tooManyBlocks(body.blocks, messageBlocksMax)) [status, answer] = [400, 'invalid_blocks'];
    posts.add({ url: url.href, body, at: clock.now(), status });
    sendText(res, status, answer);
  }

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls: calls.items,
    responses: posts.items,
    callsTo: (method) => calls.items.filter((call) => call.method === method),
    postsTo: (channel) => calls.items.filter((call) => call.method === 'chat.postMessage' && call.args['channel'] === channel),
    waitFor: (method, predicate = () => true, timeoutMs = defaultWaitMs) =>
      calls.next(
        (call) => call.method === method && predicate(call),
        timeoutMs,
        () => `no matching ${method} call within ${timeoutMs} ms; calls seen: ${describeCalls(calls.items)}`,
      ),
    waitForResponse: (predicate = () => true, timeoutMs = defaultWaitMs) =>
      posts.next(
        predicate,
        timeoutMs,
        () => `no matching response_url post within ${timeoutMs} ms; posts seen: ${JSON.stringify(posts.items)}`,
      ),
    addUser: (user) => void workspace.users.set(user.id, user),
    failNext: (method, failure) => void failures.set(method, [...(failures.get(method) ?? []), failure]),
    responseUrl: () => {
      const path = `/response/${issuedUrls.size + 1}`;
      issuedUrls.set(path, { issuedAt: clock.now().getTime(), posts: 0 });
      return `${baseUrl}${path}`;
    },
    reset: () => {
      calls.clear();
      posts.clear();
      failures.clear();
    },
    socket: {
      get connections() {
        return socket.open.size;
      },
      send: (type, payload, opts) => socket.send(type, payload, opts),
      waitForDisconnect: (timeoutMs = defaultWaitMs) => socket.waitForDisconnect(timeoutMs),
    },
    waitForSocket: (timeoutMs = defaultWaitMs) => socket.waitForConnection(timeoutMs),
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Slack's end of Socket Mode (PLATFORMS.md A5; @slack/socket-mode): a one-use
 * ticket URL from `apps.connections.open`, `hello` once connected, then
 * envelopes `{envelope_id, type, payload, accepts_response_payload}` that the
 * app acknowledges with `{envelope_id, payload}`. Pings are answered by `ws`.
 */
class FakeSocketMode {
  readonly open = new Set<WebSocket>();
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #baseUrl: string;
  readonly #clock: Clock;
  readonly #tickets = new Set<string>();
  readonly #pendingAcks = new Map<string, { socket: WebSocket; resolve: (ack: SocketAck) => void; reject: (error: Error) => void }>();
  readonly #connectionWaiters = new Set<() => void>();
  readonly #disconnectWaiters = new Set<(closed: { code: number; reason: string }) => void>();
  #lastClose = { code: 1005, reason: '' };
  #ticketCount = 0;
  #envelopeCount = 0;

  constructor(baseUrl: string, clock: Clock) {
    this.#baseUrl = baseUrl;
    this.#clock = clock;
  }

  /** Slack's shape: `wss://wss-primary.slack.com/link/?ticket=…&app_id=…`, here over plain ws on the fake's port. */
  issueUrl(): string {
    const ticket = `fake-ticket-${++this.#ticketCount}`;
    this.#tickets.add(ticket);
    return `${this.#baseUrl.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${fakeWorkspace.appId}`;
  }

  upgrade(req: IncomingMessage, stream: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.#baseUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.#tickets.delete(ticket)) {
      stream.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, stream, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.#onAck(String(data));
    });
    ws.on('close', (code, reason) => {
      this.open.delete(ws);
      for (const [id, pending] of this.#pendingAcks) {
        if (pending.socket !== ws) continue;
        this.#pendingAcks.delete(id);
        pending.reject(new Error(`the Socket Mode connection closed before envelope ${id} was acknowledged`));
      }
      this.#lastClose = { code, reason: String(reason) };
      if (this.open.size > 0) return;
      for (const wake of this.#disconnectWaiters) wake(this.#lastClose);
      this.#disconnectWaiters.clear();
    });
    ws.on('error', () => {}); // a client vanishing mid-frame is not the fake's failure
    this.open.add(ws);
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.open.size, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: fakeWorkspace.appId } }));
    for (const wake of this.#connectionWaiters) wake();
    this.#connectionWaiters.clear();
  }

  #onAck(raw: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    const id = typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    const pending = id === undefined ? undefined : this.#pendingAcks.get(id);
    if (!id || !pending) return;
    this.#pendingAcks.delete(id);
    const ack: SocketAck = { envelope_id: id, at: this.#clock.now() };
    if (isObject(message.payload)) ack.payload = message.payload;
    pending.resolve(ack);
  }

  send(type: SocketEnvelopeType, payload: Record<string, unknown>, opts: SocketSendOptions = {}): Promise<SocketAck> {
    const ws = [...this.open].at(-1);
    if (!ws) return Promise.reject(new Error(`no Socket Mode connection to send ${type} on: has the app connected? (await fake.waitForSocket())`));
    const envelopeId = `fake-envelope-${++this.#envelopeCount}`;
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
    };
    if (type === 'events_api') Object.assign(envelope, { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' });
    const timeoutMs = opts.timeoutMs ?? defaultWaitMs;
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingAcks.delete(envelopeId);
        reject(new Error(`no ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        fn(value);
      };
      this.#pendingAcks.set(envelopeId, { socket: ws, resolve: settle(resolve), reject: settle(reject) });
      ws.send(JSON.stringify(envelope));
    });
  }

  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.open.size > 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#connectionWaiters.delete(wake);
        reject(new Error(`no app opened a Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#connectionWaiters.add(wake);
    });
  }

  waitForDisconnect(timeoutMs: number): Promise<{ code: number; reason: string }> {
    if (this.open.size === 0) return Promise.resolve(this.#lastClose);
    return new Promise((resolve, reject) => {
      const wake = (closed: { code: number; reason: string }) => {
        clearTimeout(timer);
        resolve(closed);
      };
      const timer = setTimeout(() => {
        this.#disconnectWaiters.delete(wake);
        reject(new Error(`${this.open.size} Socket Mode connection(s) still open after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#disconnectWaiters.add(wake);
    });
  }

  /** Drops every connection at once: the fake is going away. */
  close(): void {
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}

type MethodHandler = (args: Record<string, any>) => Record<string, any>;

/** The workspace's state and the Web API methods over it (shapes: PLATFORMS.md A5). */
class FakeWorkspace {
  readonly users = new Map<string, SlackFakeUser>();
  readonly #clock: Clock;
  readonly #usedTriggers = new Set<string>();
  readonly #views = new Map<string, Record<string, any>>();
  readonly #homeViews = new Map<string, string>();
  #messageCount = 0;
  #viewCount = 0;
  #hashCount = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.users.set(fakeWorkspace.botUserId, { id: fakeWorkspace.botUserId, name: 'guanxi', isBot: true });
  }

  readonly methods: Record<string, MethodHandler> = {
    'auth.test': () => ({
      ok: true,
      url: `https://${fakeWorkspace.teamDomain}.slack.com/`,
      team: fakeWorkspace.teamName,
      user: 'guanxi',
      team_id: fakeWorkspace.teamId,
      user_id: fakeWorkspace.botUserId,
      bot_id: fakeWorkspace.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (args) => {
      if (!args.channel) return fail('channel_not_found');
      if (!hasContent(args)) return fail('no_text');
      if (tooManyBlocks(args.blocks, messageBlocksMax)) return fail('invalid_blocks');
      // Posting to a user id lands in the app's DM with that user.
      const channel = String(args.channel).startsWith('U') ? dmChannelFor(args.channel) : args.channel;
      const ts = this.#nextTs();
      return { ok: true, channel, ts, message: this.#message(args, ts) };
    },
    'chat.postEphemeral': (args) => {
      if (!args.channel) return fail('channel_not_found');
      if (!args.user) return fail('invalid_arguments', 'user');
      if (!hasContent(args)) return fail('no_text');
      if (tooManyBlocks(args.blocks, messageBlocksMax)) return fail('invalid_blocks');
      return { ok: true, message_ts: this.#nextTs() };
    },
    'chat.update': (args) => {
      if (!args.channel) return fail('channel_not_found');
      if (!args.ts) return fail('message_not_found');
      if (!hasContent(args)) return fail('no_text');
      if (tooManyBlocks(args.blocks, messageBlocksMax)) return fail('invalid_blocks');
      return { ok: true, channel: args.channel, ts: args.ts, text: args.text ?? '', message: this.#message(args, args.ts) };
    },
    'chat.getPermalink': (args) => {
      if (!args.channel) return fail('channel_not_found');
      if (!args.message_ts) return fail('message_not_found');
      const permalink = `https://${fakeWorkspace.teamDomain}.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`;
      return { ok: true, channel: args.channel, permalink };
    },
    'views.open': (args) => {
      if (!args.trigger_id) return fail('invalid_arguments', 'trigger_id');
      if (!isObject(args.view)) return fail('invalid_arguments', 'view');
      if (tooManyBlocks(args.view.blocks, viewBlocksMax)) return tooManyInView();
      // A trigger opens one modal only (PLATFORMS.md A2).
      if (this.#usedTriggers.has(args.trigger_id)) return fail('exchanged_trigger_id');
      this.#usedTriggers.add(args.trigger_id);
      return { ok: true, view: this.#saveView(args.view) };
    },
    'views.update': (args) => {
      if (!isObject(args.view)) return fail('invalid_arguments', 'view');
      if (tooManyBlocks(args.view.blocks, viewBlocksMax)) return tooManyInView();
      const id = args.view_id ?? this.#viewIdByExternalId(args.external_id);
      const current = id === undefined ? undefined : this.#views.get(id);
      if (!current) return fail('not_found');
      if (args.hash !== undefined && args.hash !== current.hash) return fail('hash_conflict');
      return { ok: true, view: this.#saveView(args.view, current) };
    },
    'views.publish': (args) => {
      if (!args.user_id) return fail('invalid_arguments', 'user_id');
      if (!isObject(args.view) || args.view.type !== 'home') return fail('invalid_arguments', 'view');
      if (tooManyBlocks(args.view.blocks, viewBlocksMax)) return tooManyInView();
      const currentId = this.#homeViews.get(args.user_id);
      const current = currentId === undefined ? undefined : this.#views.get(currentId);
      if (current && args.hash !== undefined && args.hash !== current.hash) return fail('hash_conflict');
      const view = this.#saveView(args.view, current);
      this.#homeViews.set(args.user_id, view.id);
      return { ok: true, view };
    },
    'users.info': (args) => {
      const user = this.users.get(args.user);
      return user ? { ok: true, user: userObject(user, this.#clock.now()) } : fail('user_not_found');
    },
    'conversations.open': (args) => {
      const users = String(args.users ?? '').split(',').filter(Boolean);
      if (users.length === 0) return args.channel ? { ok: true, channel: { id: args.channel } } : fail('users_list_not_supplied');
      const id = users.length === 1 ? dmChannelFor(users[0]!) : `G${users.map((u) => u.slice(1)).join('')}`;
      return { ok: true, channel: { id } };
    },
  };

  /** Unique per workspace, shaped like Slack's `seconds.micro` ts. */
  #nextTs(): string {
    const seconds = Math.floor(this.#clock.now().getTime() / 1000);
    return `${seconds}.${String(++this.#messageCount).padStart(6, '0')}`;
  }

  #message(args: Record<string, any>, ts: string): Record<string, any> {
    const message: Record<string, any> = {
      type: 'message', text: args.text ?? '', user: fakeWorkspace.botUserId, bot_id: fakeWorkspace.botId,
      app_id: fakeWorkspace.appId, team: fakeWorkspace.teamId, ts,
    };
    for (const key of ['blocks', 'attachments', 'thread_ts', 'metadata']) if (args[key] !== undefined) message[key] = args[key];
    return message;
  }

  #saveView(view: Record<string, any>, previous?: Record<string, any>): Record<string, any> {
    const id = previous?.id ?? `V0FAKE${String(++this.#viewCount).padStart(4, '0')}`;
    const saved = {
      type: 'modal', private_metadata: '', callback_id: '', external_id: '', blocks: [],
      ...view,
      id,
      team_id: fakeWorkspace.teamId,
      state: { values: {} },
      hash: `${Math.floor(this.#clock.now().getTime() / 1000)}.fakehash${++this.#hashCount}`,
      root_view_id: previous?.root_view_id ?? id,
      previous_view_id: null,
      app_id: fakeWorkspace.appId,
      app_installed_team_id: fakeWorkspace.teamId,
      bot_id: fakeWorkspace.botId,
    };
    this.#views.set(id, saved);
    return saved;
  }

  #viewIdByExternalId(externalId: unknown): string | undefined {
    if (!externalId) return undefined;
    return [...this.#views.values()].find((view) => view.external_id === externalId)?.id;
  }
}

/** Slack names the missing argument in response_metadata.messages. */
// Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks): 50 blocks in a message, 100 in a view.
export const messageBlocksMax = 50;
export const viewBlocksMax = 100;

function tooManyBlocks(blocks: unknown, max: number): boolean {
  return Array.isArray(blocks) && blocks.length > max;
}

function tooManyInView(): Record<string, any> {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] no more than ${viewBlocksMax} items allowed [json-pointer:/view/blocks]`] } };
}

function fail(error: string, missing?: string): Record<string, any> {
  const response: Record<string, any> = { ok: false, error };
  if (missing) response.response_metadata = { messages: [`[ERROR] missing required field: ${missing}`] };
  return response;
}

function hasContent(args: Record<string, any>): boolean {
  return Boolean(args.text || args.blocks || args.attachments);
}

/** The fake's convention: the app's DM with U123 is D123. */
function dmChannelFor(userId: string): string {
  return `D${userId.slice(1)}`;
}

function userObject(user: SlackFakeUser, now: Date): Record<string, any> {
  const tz = user.tz ?? 'UTC';
  const realName = user.realName ?? user.name;
  const displayName = user.displayName ?? user.name;
  return {
    id: user.id, team_id: fakeWorkspace.teamId, name: user.name, deleted: false, real_name: realName,
    tz, tz_label: zoneName(tz, now, 'long'), tz_offset: offsetSeconds(tz, now),
    is_bot: user.isBot ?? false, is_admin: false, updated: Math.floor(now.getTime() / 1000),
    profile: {
      real_name: realName, real_name_normalized: realName,
      display_name: displayName, display_name_normalized: displayName,
      ...(user.email ? { email: user.email } : {}),
      team: fakeWorkspace.teamId,
    },
  };
}

function zoneName(tz: string, at: Date, style: 'long' | 'longOffset'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }).formatToParts(at);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/** Slack's `tz_offset`: seconds east of UTC at `at` (DST-aware). */
function offsetSeconds(tz: string, at: Date): number {
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zoneName(tz, at, 'longOffset'));
  if (!match) return 0; // "GMT" alone means UTC
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

// Object arguments arrive JSON-stringified in form fields (PLATFORMS.md A5).
const jsonFields = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls']);

type ParsedArgs = { ok: true; args: Record<string, any> } | { ok: false; error: string };

/** Accepts what @slack/web-api sends (form) and what Slack also takes (JSON, query string). */
function parseArgs(contentType: string | undefined, raw: string, query: URLSearchParams): ParsedArgs {
  const args: Record<string, any> = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (raw === '') return { ok: true, args };
  if (type === 'application/json') {
    try {
      const body = JSON.parse(raw);
      return isObject(body) ? { ok: true, args: { ...args, ...body } } : { ok: false, error: 'invalid_json' };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (type !== 'application/x-www-form-urlencoded') return { ok: false, error: 'invalid_form_data' };
  for (const [key, value] of new URLSearchParams(raw)) args[key] = jsonFields.has(key) ? parseJsonOr(value) : value;
  return { ok: true, args };
}

function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function describeCalls(calls: readonly SlackApiCall[]): string {
  if (calls.length === 0) return '(none)';
  return calls.map((call) => `${call.method} ${JSON.stringify(call.args)} → ${call.status} ${JSON.stringify(call.response)}`).join('; ');
}
