import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../src/clock.ts';
import { answerGmail, routeGmail, type GmailRoute } from './gmail/gmail-endpoints.ts';
import { defaultFailure, forbidden, googleError, insufficientScopes, invalidCredentials, loginRequired, rateLimited } from './gmail/google-errors.ts';
import { createGoogleSigningKeys, type GoogleSigningKeys } from './gmail/google-keys.ts';
import { canSend, FakeGoogleOAuth, gmailScopes, hasGmailScope, type AuthorizeOptions, type OAuthAnswer, type OAuthClientConfig, type SignInOptions } from './gmail/google-oauth.ts';
import { queryParams, readBody, sendJson, sendText } from './gmail/http.ts';
import { Mailbox, type DeliverMessage, type GmailHeader, type SentMessage, type Watch } from './gmail/mailbox.ts';
import { PerUserQuota, quotaUnits, type GmailMethod, type QuotaOptions } from './gmail/quota.ts';
import { Recording } from './recording.ts';

/**
 * A stand-in for the Gmail API and Google's OAuth endpoints on one real HTTP
 * server, so the real googleapis client and google-auth-library's OAuth2Client
 * talk to it unchanged (PLATFORMS.md B7):
 *
 *   new OAuth2Client({ clientId, clientSecret, redirectUri,
 *     endpoints: { oauth2TokenUrl: fake.tokenUrl, oauth2AuthBaseUrl: fake.authUrl,
 *                  oauth2FederatedSignonPemCertsUrl: fake.certsUrl } })
 *   google.gmail({ version: 'v1', auth, rootUrl: fake.rootUrl })
 *
 * Time (token expiry, watch expiration, internalDate, newer_than:, the quota
 * window) follows the injected clock, never the wall clock.
 */

export { gmailScopes, quotaUnits };
export type { AuthorizeOptions, DeliverMessage, GmailHeader, GmailMethod, OAuthClientConfig, QuotaOptions, SentMessage, SignInOptions, Watch };

export interface GmailFakeOptions {
  /** Stamps internalDate, token and watch expiry, and moves the quota window; default the system clock. */
  clock?: Clock;
  /** Per-mailbox units per minute; off when absent. */
  quota?: QuotaOptions;
  /** When set, the token endpoint and consent page accept only this client (401 `invalid_client` otherwise). */
  client?: OAuthClientConfig;
  /** Google's signing keys: sign ID tokens, served at certsUrl/jwksUrl. Pass `pubsubIdentity().keys` to verify push tokens the same way. */
  signingKeys?: GoogleSigningKeys;
}

export type GmailFakeMethod = GmailMethod | 'oauth2.token' | 'oauth2.authorize' | 'oauth2.certs';

/** One request, successful or not (`status`/`response` say which). */
export interface GmailCall {
  method: GmailFakeMethod;
  /** The mailbox the access token opened; undefined for OAuth requests and refused tokens. */
  mailbox: string | undefined;
  /** Query parameters; repeated ones (`metadataHeaders`, `labelIds`) as arrays. */
  params: Record<string, string | string[]>;
  /** The JSON body, or the token endpoint's form fields. */
  body: Record<string, any>;
  at: Date;
  status: number;
  response: unknown;
  /** Quota units charged (0 when refused before the quota). */
  units: number;
}

/**
 * `reason` picks Google's words (429 → rateLimitExceeded, 403 → userRateLimitExceeded,
 * 5xx → backendError); `body` replaces them; `retryAfter` (seconds) adds the header.
 */
export interface GmailFailure {
  status: number;
  reason?: string;
  body?: unknown;
  retryAfter?: number;
}

/** A delivered message as the API reports it: ids and historyId are strings. */
export interface DeliveredMessage {
  id: string;
  threadId: string;
  historyId: string;
  internalDate: string;
  labelIds: string[];
  headers: GmailHeader[];
}

export interface GmailFake {
  /** `http://127.0.0.1:PORT/`: pass as `rootUrl` to `google.gmail(...)` (only its origin counts). */
  readonly rootUrl: string;
  /** OAuth2Client `endpoints.oauth2TokenUrl`. */
  readonly tokenUrl: string;
  /** OAuth2Client `endpoints.oauth2AuthBaseUrl`: the consent page, answered by `signInAs`. */
  readonly authUrl: string;
  /** OAuth2Client `endpoints.oauth2FederatedSignonPemCertsUrl` (`{kid: PEM}`), for verifyIdToken. */
  readonly certsUrl: string;
  /** The JWKS form (oauth2/v3/certs). */
  readonly jwksUrl: string;
  readonly signingKeys: GoogleSigningKeys;
  readonly calls: readonly GmailCall[];
  callsTo(method: GmailFakeMethod): GmailCall[];
  /** The first call, past or future, to `method` matching `predicate`. */
  waitFor(method: GmailFakeMethod, predicate?: (call: GmailCall) => boolean, timeoutMs?: number): Promise<GmailCall>;
  addMailbox(address: string): void;
  /** Adds a message and a `messageAdded` history record with a new, higher historyId. */
  deliver(address: string, message: DeliverMessage): DeliveredMessage;
  /** Deletes a message (a `messageDeleted` record); messages.get then answers 404. */
  remove(address: string, messageId: string): void;
  /** The mailbox's current historyId, a string as Gmail sends it. */
  historyId(address: string): string;
  /** A `startHistoryId` below `historyId` (default: the current one) then answers 404. */
  expireHistoryBefore(address: string, historyId?: string | number): void;
  /** Every message users.messages.send sent from the mailbox, read as its recipient would, oldest first. */
  sent(address: string): SentMessage[];
  /** The mailbox's watch after `users.watch`, until `users.stop`. */
  watchOf(address: string): Watch | undefined;
  /** A one-use authorization code for `address` (default scope gmail.readonly); the exchange includes a refresh token. */
  authorize(address: string, scopes?: string[], options?: AuthorizeOptions): string;
  /** Who the consent page signs in as (and whether they allow); stays until changed. */
  signInAs(address: string, options?: SignInOptions): void;
  /** Refresh → 400 invalid_grant "Token has been expired or revoked."; access tokens → 401. */
  revoke(address: string): void;
  /** The OAuth client's secret is reset in Google Cloud: the token endpoint refuses the old one as invalid_client. */
  changeClientSecret(): void;
  /** Access tokens answer 401 from now on, as an hour later; the refresh token still works. */
  expireAccessTokens(address: string): void;
  setQuota(quota: QuotaOptions | undefined): void;
  unitsUsed(address: string): number;
  /** Requests refused by the quota (429s, or 403s with `answer: 'userRateLimitExceeded'`). */
  quotaRefusals(address?: string): number;
  /** Queue a failure for the next call to `method`, before auth and quota; several queue in order. */
  failNext(method: GmailFakeMethod, failure: GmailFailure): void;
  /** The next call to `method` waits, unanswered, until the returned function is called; then it is answered as things are. */
  holdNext(method: GmailFakeMethod): () => void;
  /** Forget recorded calls, queued failures and quota counters (mailboxes and tokens stay). */
  reset(): void;
  close(): Promise<void>;
}

const defaultWaitMs = 5000;

type RecordCall = (status: number, response: unknown, extra?: Partial<GmailCall>) => void;

export async function startGmailFake(options: GmailFakeOptions = {}): Promise<GmailFake> {
  const clock = options.clock ?? systemClock;
  const keys = options.signingKeys ?? createGoogleSigningKeys();
  const mailboxes = new Map<string, Mailbox>();
  const oauth = new FakeGoogleOAuth(clock, keys, options.client, (address) => mailboxes.has(normal(address)));
  const quota = new PerUserQuota(clock, options.quota);
  const calls = new Recording<GmailCall>();
  const failures = new Map<GmailFakeMethod, GmailFailure[]>();
  const holds = new Map<GmailFakeMethod, Promise<void>[]>();
  let messageCount = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, googleError(500, String(error), 'backendError')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = await readBody(req);
    const record = (method: GmailFakeMethod, body: Record<string, any>): RecordCall => (status, response, extra = {}) =>
      calls.add({ method, mailbox: undefined, params: queryParams(url.searchParams), body, at: clock.now(), status, response, units: 0, ...extra });

    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(raw);
      const answer = failed('oauth2.token') ?? oauth.token(form, req.headers.authorization);
      record('oauth2.token', Object.fromEntries(form))(answer.status, answer.body);
      return sendJson(res, answer.status, answer.body, answer.headers);
    }
    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') {
      const answer = failed('oauth2.authorize') ?? oauth.consent(url);
      record('oauth2.authorize', {})(answer.status, answer.body);
      if (typeof answer.body !== 'string') return sendJson(res, answer.status, answer.body, answer.headers);
      return sendText(res, answer.status, answer.body, answer.headers);
    }
    if (req.method === 'GET' && (url.pathname === '/oauth2/v1/certs' || url.pathname === '/oauth2/v3/certs')) {
      const answer = failed('oauth2.certs') ?? { status: 200, body: url.pathname.includes('v1') ? keys.certs : keys.jwks };
      record('oauth2.certs', {})(answer.status, answer.body);
      return sendJson(res, answer.status, answer.body, { 'Cache-Control': 'public, max-age=21600, must-revalidate, no-transform', ...answer.headers });
    }
    const route = routeGmail(req.method ?? 'GET', url.pathname);
    if (!route) return sendJson(res, 404, googleError(404, `The Gmail fake has no ${req.method} ${url.pathname}`, 'notFound'));
    let body: Record<string, any> = {};
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return sendJson(res, 400, googleError(400, 'Invalid JSON payload received.', 'parseError'));
    }
    await holds.get(route.method)?.shift();
    answerApi(route, url, req, body, record(route.method, body), res);
  }

  function answerApi(route: GmailRoute, url: URL, req: IncomingMessage, body: Record<string, any>, record: RecordCall, res: ServerResponse): void {
    const reply = (status: number, response: unknown, extra: Partial<GmailCall> = {}, headers: Record<string, string> = {}) => {
      record(status, response, extra);
      sendJson(res, status, response, headers);
    };
    const failure = failed(route.method);
    if (failure) return reply(failure.status, failure.body, {}, failure.headers);

    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token') ?? undefined;
    const access = oauth.checkAccess(bearer);
    if (!access.ok) {
      const challenge = access.why === 'missing' ? 'Bearer realm="https://accounts.google.com/"' : 'Bearer realm="https://accounts.google.com/", error="invalid_token"';
      return reply(401, access.why === 'missing' ? loginRequired() : invalidCredentials(), {}, { 'WWW-Authenticate': challenge });
    }
    const address = access.grant.address;
    const mailbox = mailboxes.get(address)!;
    if (route.userId !== 'me' && normal(route.userId) !== address) return reply(403, forbidden(`Delegation denied for ${route.userId}`), { mailbox: address });
    const allowed = route.method === 'users.messages.send' ? canSend(access.grant.scopes) : hasGmailScope(access.grant.scopes);
    if (!allowed) return reply(403, insufficientScopes(), { mailbox: address });

    const units = quotaUnits[route.method];
    const verdict = quota.charge(address, units);
    if (!verdict.ok) {
      const reason = quota.limit?.answer ?? 'rateLimitExceeded';
      const status = reason === 'rateLimitExceeded' ? 429 : 403;
      return reply(status, rateLimited(status, reason, verdict.retryAt), { mailbox: address }, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    const answer = answerGmail(route.method, { mailbox, scopes: access.grant.scopes, params: queryParams(url.searchParams), body, messageId: route.messageId, nextSeq: () => ++messageCount }, clock);
    reply(answer.status, answer.body, { mailbox: address, units });
  }

  function failed(method: GmailFakeMethod): OAuthAnswer | undefined {
    const failure = failures.get(method)?.shift();
    if (!failure) return undefined;
    const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'Retry-After': String(failure.retryAfter) };
    return { status: failure.status, body: failure.body ?? defaultFailure(failure.status, failure.reason, clock.now()), headers };
  }

  function mailboxOf(address: string): Mailbox {
    const mailbox = mailboxes.get(normal(address));
    if (!mailbox) throw new Error(`the Gmail fake has no mailbox ${address}: call fake.addMailbox first`);
    return mailbox;
  }

  return {
    rootUrl: `${baseUrl}/`,
    tokenUrl: `${baseUrl}/token`,
    authUrl: `${baseUrl}/o/oauth2/v2/auth`,
    certsUrl: `${baseUrl}/oauth2/v1/certs`,
    jwksUrl: `${baseUrl}/oauth2/v3/certs`,
    signingKeys: keys,
    calls: calls.items,
    callsTo: (method) => calls.items.filter((call) => call.method === method),
    waitFor: (method, predicate = () => true, timeoutMs = defaultWaitMs) =>
      calls.next(
        (call) => call.method === method && predicate(call),
        timeoutMs,
        () => `no matching ${method} call within ${timeoutMs} ms; calls seen: ${describeCalls(calls.items)}`,
      ),
    addMailbox: (address) => {
      if (mailboxes.has(normal(address))) throw new Error(`the Gmail fake already has a mailbox ${address}`);
      // Unrelated starting points per mailbox, as real historyIds are.
      mailboxes.set(normal(address), new Mailbox(normal(address), 10_000 * (mailboxes.size + 1) + 31));
    },
    deliver: (address, message) => {
      const mailbox = mailboxOf(address);
      const seq = ++messageCount;
      const id = message.id ?? (0x18f0000000000000n + BigInt(seq) * 0x1f3n).toString(16);
      const internalDate = message.internalDate === undefined ? clock.now().getTime() : new Date(message.internalDate).getTime();
      const headers = Array.isArray(message.headers) ? message.headers : withDefaultHeaders(message.headers, id, internalDate);
      const snippet = message.snippet ?? '';
      const stored = mailbox.add({
        id, threadId: message.threadId ?? id, labelIds: message.labelIds ?? ['INBOX'], internalDate, headers, snippet, seq,
        sizeEstimate: message.sizeEstimate ?? 512 + snippet.length + headers.reduce((size, h) => size + h.name.length + h.value.length + 4, 0),
      });
      return {
        id: stored.id, threadId: stored.threadId, historyId: String(stored.historyId), internalDate: String(stored.internalDate),
        labelIds: stored.labelIds, headers: stored.headers,
      };
    },
    remove: (address, messageId) => mailboxOf(address).remove(messageId),
    historyId: (address) => String(mailboxOf(address).historyId),
    expireHistoryBefore: (address, historyId) => {
      const mailbox = mailboxOf(address);
      mailbox.expireHistoryBefore(historyId === undefined ? mailbox.historyId : Number(historyId));
    },
    watchOf: (address) => mailboxOf(address).watch,
    sent: (address) => [...mailboxOf(address).sent],
    authorize: (address, scopes = [gmailScopes.readonly], authorizeOptions) => oauth.authorize(mailboxOf(address).address, scopes, authorizeOptions),
    signInAs: (address, signInOptions) => oauth.signInAs(mailboxOf(address).address, signInOptions),
    revoke: (address) => oauth.revoke(mailboxOf(address).address),
    changeClientSecret: () => oauth.changeClientSecret(),
    expireAccessTokens: (address) => oauth.expireAccessTokens(mailboxOf(address).address),
    setQuota: (limit) => void (quota.limit = limit),
    unitsUsed: (address) => quota.unitsUsed(normal(address)),
    quotaRefusals: (address) => quota.refusals(address === undefined ? undefined : normal(address)),
    failNext: (method, failure) => void failures.set(method, [...(failures.get(method) ?? []), failure]),
    holdNext: (method) => {
      let release = () => {};
      holds.set(method, [...(holds.get(method) ?? []), new Promise<void>((resolve) => (release = resolve))]);
      return release;
    },
    reset: () => {
      calls.clear();
      failures.clear();
      quota.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function normal(address: string): string {
  return address.trim().toLowerCase();
}

/** Every real message has a Message-ID and a Date; add them unless the test gave its own. */
function withDefaultHeaders(given: Record<string, string>, id: string, internalDate: number): GmailHeader[] {
  const headers = Object.entries(given).map(([name, value]) => ({ name, value }));
  const has = (name: string) => headers.some((h) => h.name.toLowerCase() === name);
  if (!has('date')) headers.push({ name: 'Date', value: new Date(internalDate).toUTCString().replace('GMT', '+0000') });
  if (!has('message-id')) headers.push({ name: 'Message-ID', value: `<${id}@mail.gmail.fake>` });
  return headers;
}

function describeCalls(calls: readonly GmailCall[]): string {
  if (calls.length === 0) return '(none)';
  return calls.map((call) => `${call.method} ${JSON.stringify(call.params)} → ${call.status}`).join('; ');
}
