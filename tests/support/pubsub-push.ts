import { systemClock, type Clock } from '../../src/clock.ts';
import { createGoogleSigningKeys, type GoogleSigningKeys } from './gmail/google-keys.ts';

/**
 * What Google Cloud Pub/Sub sends to a push endpoint for a Gmail watch
 * (PLATFORMS.md B2), and the OIDC token it signs when push authentication is on.
 */

export interface PushBodyOptions {
  emailAddress: string;
  historyId: string | number | bigint;
  /** Real deliveries carry a JSON number (default); the Gmail guide's sample a string. */
  historyIdAs?: 'number' | 'string';
  /** Default: a fresh numeric id, as Pub/Sub's are. */
  messageId?: string;
  /** Default: now on the system clock. */
  publishTime?: Date | string;
  /** Default `projects/guanxi-test/subscriptions/gmail-push`. */
  subscription?: string;
  attributes?: Record<string, string>;
  /** Sent only with a dead-letter policy. */
  deliveryAttempt?: number;
}

export interface PubsubPushBody {
  message: {
    data: string;
    attributes?: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
  };
  subscription: string;
  deliveryAttempt?: number;
}

let pushCount = 0;

/** A push body whose `data` is base64 of `{"emailAddress","historyId"}`; id and time written twice, camelCase and snake_case. */
export function pushBody(options: PushBodyOptions): PubsubPushBody {
  const historyId = String(options.historyId);
  if (!/^\d+$/.test(historyId)) throw new Error(`historyId must be digits, got ${historyId}`);
  // Written by hand so a large id keeps every digit as a JSON number.
  const encodedId = options.historyIdAs === 'string' ? JSON.stringify(historyId) : historyId;
  const data = Buffer.from(`{"emailAddress":${JSON.stringify(options.emailAddress)},"historyId":${encodedId}}`).toString('base64');
  const messageId = options.messageId ?? String(2_070_443_601_311_540 + ++pushCount);
  const publishTime = options.publishTime === undefined ? new Date().toISOString() : new Date(options.publishTime).toISOString();
  const body: PubsubPushBody = {
    message: { data, messageId, message_id: messageId, publishTime, publish_time: publishTime },
    subscription: options.subscription ?? 'projects/guanxi-test/subscriptions/gmail-push',
  };
  if (options.attributes) body.message.attributes = options.attributes;
  if (options.deliveryAttempt !== undefined) body.deliveryAttempt = options.deliveryAttempt;
  return body;
}

export interface SendPushOptions {
  /** An OIDC token (`identity.signJwt()`), sent as `Authorization: Bearer …`. */
  bearer?: string;
  headers?: Record<string, string>;
}

export interface PushResult {
  status: number;
  /** Pub/Sub's reading of the status: 102, 200, 201, 202 and 204 acknowledge; anything else is redelivered. */
  acked: boolean;
  text: string;
}

const ackStatuses = new Set([102, 200, 201, 202, 204]);

/** POSTs `body` (an object, or a raw string for malformed pushes) as Pub/Sub does. */
export async function sendPush(url: string, body: PubsubPushBody | string, options: SendPushOptions = {}): Promise<PushResult> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
    ...options.headers,
  };
  if (options.bearer !== undefined) headers.Authorization = `Bearer ${options.bearer}`;
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, acked: ackStatuses.has(response.status), text: await response.text() };
}

/** The claims Pub/Sub's OIDC token carries. */
export interface PubsubOidcClaims {
  iss: string;
  aud: string | string[];
  email: string;
  email_verified: boolean;
  sub: string;
  azp: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

export interface PubsubIdentityOptions {
  /** The push subscription's service account; default `gmail-push@guanxi-test.iam.gserviceaccount.com`. */
  email?: string;
  /** Default audience (Pub/Sub's default is the push endpoint URL); default `https://guanxi.test/webhooks/gmail`. */
  audience?: string;
  /** Share keys with the Gmail fake (`fake.signingKeys`) to verify through its certsUrl. Default: new keys. */
  keys?: GoogleSigningKeys;
  /**
   * Sets iat/exp. Keep the system clock (default) when the app verifies with
   * google-auth-library: it checks them against Date.now(), whatever clock the app holds.
   */
  clock?: Clock;
}

export interface PubsubIdentity {
  readonly email: string;
  readonly audience: string;
  readonly keys: GoogleSigningKeys;
  /** `{[kid]: PEM}` — `OAuth2Client.verifySignedJwtWithCertsAsync(token, certs, audience, issuers)`. */
  readonly certs: Record<string, string>;
  /** The same key as JWKS (oauth2/v3/certs form). */
  readonly jwks: { keys: Array<Record<string, unknown>> };
  /** An RS256 token with Google's claims; `claims` override any of them (e.g. `{aud}`, `{exp}`, `{iss}`). */
  signJwt(claims?: Partial<PubsubOidcClaims>): string;
}

const tokenLifetimeSeconds = 3600;

/** Google's signing of a push: a local RSA key, Google's claim shape (PLATFORMS.md B2, Auth). */
export function pubsubIdentity(options: PubsubIdentityOptions = {}): PubsubIdentity {
  const keys = options.keys ?? createGoogleSigningKeys();
  const clock = options.clock ?? systemClock;
  const email = options.email ?? 'gmail-push@guanxi-test.iam.gserviceaccount.com';
  const audience = options.audience ?? 'https://guanxi.test/webhooks/gmail';
  const subject = '113774264463038321964';
  return {
    email,
    audience,
    keys,
    certs: keys.certs,
    jwks: keys.jwks,
    signJwt(claims = {}) {
      const iat = Math.floor(clock.now().getTime() / 1000);
      return keys.sign({
        aud: audience, azp: subject, email, email_verified: true, exp: iat + tokenLifetimeSeconds, iat,
        iss: 'https://accounts.google.com', sub: subject, ...claims,
      });
    },
  };
}
