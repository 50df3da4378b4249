import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../src/clock.ts';
import { readBody } from './gmail/http.ts';
import { createGoogleSigningKeys } from './gmail/google-keys.ts';
import { answerGraph, type GraphContext } from './graph/graph-endpoints.ts';
import { aadError, defaultGraphFailure, graphError, mailboxThrottled } from './graph/graph-errors.ts';
import { routeRequest, type GraphApiMethod, type IdentityMethod, type Route } from './graph/graph-routes.ts';
import { FakeMicrosoftIdentity, guidFrom, type AuthorizeOptions, type Grant, type IdentityAnswer, type IdentityClientConfig, type MicrosoftUser, type RevokeOptions, type SignInOptions } from './graph/identity.ts';
import { OutlookMailbox, type FolderName, type SentMail } from './graph/mailbox.ts';
import { buildMessage, graphId, messageProperties, project, type DeliverMessage, type MessageHeader, type Recipient, type RecipientInput } from './graph/message-shape.ts';
import { Notifier, type NotificationDelivery } from './graph/notifier.ts';
import { SubscriptionStore, type LifecycleEvent, type Subscription } from './graph/subscriptions.ts';
import { MailboxThrottle, type Hold, type ThrottleOptions } from './graph/throttle.ts';
import type { Handshake } from './graph/webhook-client.ts';
import { Recording } from './recording.ts';
import { testTls } from './test-tls.ts';

/**
 * A stand-in for Microsoft Graph v1.0 (Outlook mail, subscriptions) and the
 * Microsoft identity platform on one HTTPS server (test CA, so the Graph
 * client sends its bearer token, PLATFORMS.md C8), driven by the real
 * @microsoft/microsoft-graph-client and @azure/msal-node:
 *
 *   new ConfidentialClientApplication({ auth: { clientId, clientSecret,
 *     authority: fake.authorityUrl, knownAuthorities: [fake.knownAuthority] } })
 *   Client.initWithMiddleware({ baseUrl: fake.baseUrl, customHosts: new Set([fake.customHost]), middleware })
 *
 * Time (token expiry, subscription expiry, receivedDateTime) follows the
 * injected clock; the webhook handshake and notification POSTs are real HTTP.
 */

export type { SentMail };
export type { AuthorizeOptions, DeliverMessage, FolderName, Handshake, Hold, LifecycleEvent, MessageHeader, MicrosoftUser, NotificationDelivery, Recipient, RecipientInput, RevokeOptions, SignInOptions, Subscription, ThrottleOptions };

export interface GraphFakeOptions {
  /** Stamps receivedDateTime, token and subscription expiry; default the system clock. */
  clock?: Clock;
  /** When set, the token endpoint and consent page accept only this client. */
  client?: IdentityClientConfig;
  /** The directory's id (a GUID): the authority path, `tid`, notifications' tenantId. */
  tenantId?: string;
  /** Application permissions of client-credentials tokens; default Mail.Read and User.Read.All. */
  appRoles?: string[];
  /** Outlook's 4-requests-per-mailbox limit (`true` for the defaults); off when absent. */
  throttle?: boolean | ThrottleOptions;
  /** Longest subscription, in minutes ahead; default 10,080 (PLATFORMS.md C1). */
  maxSubscriptionMinutes?: number;
  /** How long the handshake waits for the app (Graph: 10 s); wall-clock ms. */
  validationTimeoutMs?: number;
}

export type GraphFakeMethod = GraphApiMethod | IdentityMethod;

/** One request, successful or not (`status`/`response` say which). */
export interface GraphCall {
  method: GraphFakeMethod;
  /** The mailbox the request was about, when it named one. */
  mailbox: string | undefined;
  /** `delegated` or `app`; undefined for identity requests and refused tokens. */
  auth: Grant['kind'] | undefined;
  /** Path and query as sent. */
  path: string;
  params: Record<string, string>;
  /** Request headers, without Authorization. */
  headers: Record<string, string>;
  /** The JSON body, or the token endpoint's form fields. */
  body: Record<string, any>;
  at: Date;
  status: number;
  response: unknown;
}

/** `body` replaces Graph's words for `status`; `retryAfter` (seconds) adds the header. */
export interface GraphFailure {
  status: number;
  retryAfter?: number;
  body?: unknown;
}

export interface NotifyOptions {
  /** Default: the messages delivered since the last notify for this mailbox. */
  messageIds?: string[];
  /** Sent instead of each subscription's own clientState (a forged notification). */
  clientState?: string | null;
}

/** A delivered message as Graph returns it, every property included. */
export interface DeliveredMessage extends Record<string, unknown> {
  id: string;
  internetMessageId: string;
  conversationId: string;
  receivedDateTime: string;
  sentDateTime: string;
  subject: string;
  from: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  parentFolderId: string;
}

export interface GraphFake {
  /** `https://127.0.0.1:PORT`. */
  readonly origin: string;
  /** `https://127.0.0.1:PORT/`: the Graph client's `baseUrl` (GRAPH_BASE_URL). */
  readonly baseUrl: string;
  /** `127.0.0.1`: the Graph client's `customHosts` entry (hostname without port, C8). */
  readonly customHost: string;
  readonly tenantId: string;
  /** `https://127.0.0.1:PORT/<tenantId>`: MSAL's `auth.authority` (MS_AUTHORITY_URL). */
  readonly authorityUrl: string;
  /** `127.0.0.1:PORT`: MSAL's `auth.knownAuthorities` entry, which skips instance discovery at login.microsoftonline.com. */
  readonly knownAuthority: string;
  /** `https://127.0.0.1:PORT/<tenant>`, e.g. `authority('common')`. */
  authority(tenant?: string): string;
  /** The OpenID configuration as a string, for MSAL's `auth.authorityMetadata` (then MSAL fetches nothing but tokens). */
  authorityMetadata(tenant?: string): string;
  readonly calls: readonly GraphCall[];
  callsTo(method: GraphFakeMethod): GraphCall[];
  /** The first call, past or future, to `method` matching `predicate`. */
  waitFor(method: GraphFakeMethod, predicate?: (call: GraphCall) => boolean, timeoutMs?: number): Promise<GraphCall>;
  /** Every validation handshake sent, passed or failed. */
  readonly handshakes: readonly Handshake[];
  /** Every change and lifecycle notification sent. */
  readonly notifications: readonly NotificationDelivery[];
  /** A user and their mailbox; `onPremises`: the mailbox is on an on-premises Exchange server, which Graph cannot reach. */
  addMailbox(address: string, options?: { displayName?: string; onPremises?: boolean }): MicrosoftUser;
  userOf(address: string): MicrosoftUser;
  /** Every message POST /sendMail sent from the mailbox, oldest first. */
  sent(address: string): SentMail[];
  /** Adds a message to the folder (default inbox); notifications wait for `notify`. */
  deliver(address: string, message: DeliverMessage, options?: { folder?: FolderName }): DeliveredMessage;
  /** Deletes a message: delta reports it `@removed`, GET answers 404. */
  remove(address: string, messageId: string): void;
  /** Live subscriptions (not lapsed on the clock), of one mailbox or all. */
  subscriptions(address?: string): Subscription[];
  /**
   * POSTs a `created` notification for each message delivered since the last
   * notify (or `messageIds`) to every live subscription on the mailbox that
   * covers its folder, one POST per notificationUrl; [] when none is live.
   * Throws when there is nothing new.
   */
  notify(address: string, options?: NotifyOptions): Promise<NotificationDelivery[]>;
  /** POSTs a lifecycle notification to each of the mailbox's live subscriptions with a lifecycleNotificationUrl (throws when none has one); `subscriptionRemoved` deletes them first. */
  lifecycle(address: string, event: LifecycleEvent, options?: Pick<NotifyOptions, 'clientState'>): Promise<NotificationDelivery[]>;
  /** Every delta and skip token issued so far for the mailbox answers 410 SyncStateNotFound. */
  expireDelta(address: string): void;
  /** A one-use authorization code for `address` (default Mail.Read, offline_access, openid, profile). */
  authorize(address: string, scopes?: string[], options?: AuthorizeOptions): string;
  /** Who the consent page signs in as (and whether they allow); stays until changed. */
  signInAs(address: string, options?: SignInOptions): void;
  /** Refresh → 400 invalid_grant AADSTS50173; access tokens → 401. */
  revoke(address: string, options?: RevokeOptions): void;
  /** The app registration's client secret is replaced (it expired): the token endpoint refuses the old one as invalid_client (AADSTS7000215). */
  changeClientSecret(): void;
  /** Access tokens answer 401 from now on; refresh tokens still work. */
  expireAccessTokens(address: string): void;
  /** Queue a failure for the next call to `method`, before auth; several queue in order. */
  failNext(method: GraphFakeMethod, failure: GraphFailure): void;
  /** Graph requests wait until `release()`; with `throttle`, the 5th concurrent one per mailbox is refused meanwhile. */
  hold(): Hold;
  /** Forget recorded calls, handshakes, notifications and queued failures (mailboxes, tokens, subscriptions stay). */
  reset(): void;
  close(): Promise<void>;
}

const defaultWaitMs = 5000;
const jsonType = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export async function startGraphFake(options: GraphFakeOptions = {}): Promise<GraphFake> {
  const clock = options.clock ?? systemClock;
  const tenantId = options.tenantId ?? 'c0ffee00-1d2e-4f3a-9b8c-7d6e5f4a3b2c';
  const mailboxes = new Map<string, OutlookMailbox>();
  const calls = new Recording<GraphCall>();
  const handshakes = new Recording<Handshake>();
  const failures = new Map<GraphFakeMethod, GraphFailure[]>();
  const subscriptions = new SubscriptionStore(clock);
  const throttle = new MailboxThrottle(options.throttle);
  const notifier = new Notifier(clock, tenantId, subscriptions);
  let messageCount = 0;

  const server = createServer(testTls, (req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, graphError('InternalServerError', String(error), clock.now())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;
  const mailboxByRef = (ref: string) => mailboxes.get(ref.toLowerCase()) ?? [...mailboxes.values()].find((m) => m.user.id === ref.toLowerCase());
  // RS256 keys for ID and access tokens, published at /{tenant}/discovery/v2.0/keys.
  const keys = createGoogleSigningKeys();
  const identity = new FakeMicrosoftIdentity({
    clock, origin, tenantId, client: options.client, appRoles: options.appRoles ?? ['Mail.Read', 'User.Read.All'],
    keys, userByAddress: (address) => mailboxByRef(address)?.user,
  });
  const context: GraphContext = {
    clock, origin, mailboxByRef, subscriptions, handshakes,
    maxSubscriptionMinutes: options.maxSubscriptionMinutes ?? 10_080, validationTimeoutMs: options.validationTimeoutMs ?? 10_000,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    const route = routeRequest(req.method ?? 'GET', url.pathname);
    if (!route) return send(res, 400, graphError('BadRequest', `Resource not found for the segment '${url.pathname.split('/').filter(Boolean).at(-1) ?? ''}'.`, clock.now()));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'authorization').map(([name, value]) => [name, String(value)]));
    let body: Record<string, any> = {};
    if (route.kind === 'identity' || raw !== '') {
      try {
        body = route.kind === 'identity' ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
      } catch {
        return send(res, 400, graphError('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', clock.now()));
      }
    }
    let recorded: Partial<GraphCall> = {};
    const reply = (status: number, response: unknown, extra: Record<string, string> = {}) => {
      calls.add({
        method: route.method, mailbox: undefined, auth: undefined, path: `${url.pathname}${url.search}`,
        params: Object.fromEntries(url.searchParams), headers, body, at: clock.now(), status, response, ...recorded,
      });
      send(res, status, response, extra);
    };
    const failure = failures.get(route.method)?.shift();
    if (failure) {
      const body = failure.body ?? (route.kind === 'identity' ? aadError(failure.status === 429 ? 'temporarily_unavailable' : 'server_error', 90033, 'A transient error has occurred. Please try again.', clock.now()) : defaultGraphFailure(failure.status, clock.now()));
      return reply(failure.status, body, failure.retryAfter === undefined ? {} : { 'Retry-After': String(failure.retryAfter) });
    }
    if (route.kind === 'identity') {
      const answer = answerIdentity(route, url, req, raw);
      return reply(answer.status, answer.body, typeof answer.body === 'string' ? answer.headers : { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
    }

    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const access = identity.checkAccess(bearer);
    if (!access.ok) {
      const message = { missing: 'Access token is empty.', unknown: 'Access token validation failure. Invalid audience.', expired: 'Lifetime validation failed, the token is expired.' }[access.why];
      return reply(401, graphError('InvalidAuthenticationToken', message, clock.now()), {
        'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      });
    }
    recorded = { auth: access.grant.kind };
    const grant = access.grant;
    const key = route.userRef === undefined ? undefined : route.userRef === 'me' ? (grant.kind === 'delegated' ? grant.user.id : 'me') : (mailboxByRef(route.userRef)?.user.id ?? route.userRef);
    const leave = key === undefined ? () => {} : throttle.enter(key);
    if (!leave) {
      recorded.mailbox = key === undefined ? undefined : mailboxByRef(key)?.user.address;
      return reply(429, mailboxThrottled(clock.now()), { 'Retry-After': String(throttle.limit!.retryAfter) });
    }
    try {
      await throttle.pass();
      const answer = await answerGraph(context, { route, url, body, prefer: stringHeader(req.headers.prefer), grant });
      recorded.mailbox = answer.mailbox;
      reply(answer.status, answer.body, answer.headers);
    } finally {
      leave();
    }
  }

  function answerIdentity(route: Extract<Route, { kind: 'identity' }>, url: URL, req: IncomingMessage, raw: string): IdentityAnswer {
    if (!identity.knowsTenant(route.tenant)) {
      return { status: 400, body: aadError('invalid_tenant', 90002, `Tenant '${route.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, clock.now()) };
    }
    switch (route.method) {
      case 'identity.openidConfiguration':
        return { status: 200, body: identity.openidConfiguration(route.tenant) };
      case 'identity.keys':
        return { status: 200, body: keys.jwks };
      case 'identity.authorize':
        return identity.consent(url);
      case 'identity.token':
        return { ...identity.token(route.tenant, new URLSearchParams(raw), req.headers.authorization, stringHeader(req.headers['client-request-id'])), headers: { 'Cache-Control': 'no-store, no-cache' } };
    }
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    // No body (204, a redirect, sendMail's 202): no Content-Type either, as Graph sends it.
    if (status === 204 || status === 302 || body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    if (typeof body === 'string') {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
      return;
    }
    res.writeHead(status, { 'Content-Type': jsonType, 'request-id': crypto.randomUUID(), ...headers });
    res.end(JSON.stringify(body));
  }

  function mailboxOf(address: string): OutlookMailbox {
    const mailbox = mailboxes.get(address.trim().toLowerCase());
    if (!mailbox) throw new Error(`the Graph fake has no mailbox ${address}: call fake.addMailbox first`);
    return mailbox;
  }

  return {
    origin,
    baseUrl: `${origin}/`,
    customHost: '127.0.0.1',
    tenantId,
    authorityUrl: `${origin}/${tenantId}`,
    knownAuthority: `127.0.0.1:${port}`,
    authority: (tenant = tenantId) => `${origin}/${tenant}`,
    authorityMetadata: (tenant = tenantId) => JSON.stringify(identity.openidConfiguration(tenant)),
    calls: calls.items,
    callsTo: (method) => calls.items.filter((call) => call.method === method),
    waitFor: (method, predicate = () => true, timeoutMs = defaultWaitMs) =>
      calls.next(
        (call) => call.method === method && predicate(call),
        timeoutMs,
        () => `no matching ${method} call within ${timeoutMs} ms; calls seen: ${calls.items.map((c) => `${c.method} ${c.path} → ${c.status}`).join('; ') || '(none)'}`,
      ),
    handshakes: handshakes.items,
    notifications: notifier.deliveries.items,
    addMailbox: (address, mailboxOptions = {}) => {
      const normal = address.trim().toLowerCase();
      if (mailboxes.has(normal)) throw new Error(`the Graph fake already has a mailbox ${address}`);
      const local = normal.split('@')[0] ?? normal;
      const user: MicrosoftUser = { id: guidFrom(`user:${normal}`), address: normal, displayName: mailboxOptions.displayName ?? local.charAt(0).toUpperCase() + local.slice(1) };
      mailboxes.set(normal, new OutlookMailbox(user, { onPremises: mailboxOptions.onPremises ?? false }));
      return user;
    },
    userOf: (address) => mailboxOf(address).user,
    sent: (address) => [...mailboxOf(address).sent],
    deliver: (address, message, deliverOptions = {}) => {
      const mailbox = mailboxOf(address);
      const folder = deliverOptions.folder ?? 'inbox';
      const id = message.id ?? graphId('AAMkAD', `${mailbox.user.id}:${++messageCount}`);
      const stored = buildMessage(message, {
        id, folder, folderId: mailbox.folderIds[folder], now: clock.now(), seq: mailbox.nextSeq(),
        owner: { name: mailbox.user.displayName, address: mailbox.user.address },
      });
      mailbox.add(stored, folder);
      return project(stored, [...messageProperties], 'text') as DeliveredMessage;
    },
    remove: (address, messageId) => mailboxOf(address).remove(messageId),
    subscriptions: (address) => {
      const userId = address === undefined ? undefined : mailboxOf(address).user.id;
      return subscriptions.live().filter((held) => userId === undefined || held.userId === userId).map((held) => ({ ...held.subscription }));
    },
    notify: (address, notifyOptions = {}) => {
      const mailbox = mailboxOf(address);
      const entries = notifyOptions.messageIds
        ? notifyOptions.messageIds.map((id) => mailbox.present(id) ?? fail(`${address} holds no message ${id}`))
        : mailbox.takeUnnotified();
      if (entries.length === 0) throw new Error(`nothing new in ${address} since the last notify: deliver a message first, or pass messageIds`);
      return notifier.changes(mailbox, entries, notifyOptions.clientState);
    },
    lifecycle: (address, event, lifecycleOptions = {}) => notifier.lifecycle(mailboxOf(address), event, lifecycleOptions.clientState),
    expireDelta: (address) => void mailboxOf(address).deltaEpoch++,
    authorize: (address, scopes = ['Mail.Read', 'offline_access', 'openid', 'profile'], authorizeOptions) => identity.authorize(mailboxOf(address).user, scopes, authorizeOptions),
    signInAs: (address, signInOptions) => identity.signInAs(mailboxOf(address).user, signInOptions),
    revoke: (address, revokeOptions) => identity.revoke(mailboxOf(address).user, revokeOptions),
    changeClientSecret: () => identity.changeClientSecret(),
    expireAccessTokens: (address) => identity.expireAccessTokens(mailboxOf(address).user),
    failNext: (method, failure) => void failures.set(method, [...(failures.get(method) ?? []), failure]),
    hold: () => throttle.hold(),
    reset: () => {
      calls.clear();
      handshakes.clear();
      notifier.deliveries.clear();
      failures.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function stringHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function fail(message: string): never {
  throw new Error(message);
}
