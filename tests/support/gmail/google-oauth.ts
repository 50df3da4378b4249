import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../src/clock.ts';
import type { GoogleSigningKeys } from './google-keys.ts';

/**
 * Google's OAuth 2.0 side: the consent page (`/o/oauth2/v2/auth`), the token
 * endpoint (`/token`) that google-auth-library's OAuth2Client posts a form to,
 * and the access tokens the Gmail endpoints accept. Answers and error words
 * are Google's (`invalid_grant` / "Token has been expired or revoked.").
 */

export const gmailScopes = {
  readonly: 'https://www.googleapis.com/auth/gmail.readonly',
  metadata: 'https://www.googleapis.com/auth/gmail.metadata',
  modify: 'https://www.googleapis.com/auth/gmail.modify',
  full: 'https://mail.google.com/',
  send: 'https://www.googleapis.com/auth/gmail.send',
} as const;

/** gmail.send sends and reads nothing; every other Gmail scope reads. */
const gmailScopeSet = new Set<string>(Object.values(gmailScopes).filter((scope) => scope !== gmailScopes.send));
/** The scopes users.messages.send accepts (its reference page's list, less gmail.compose, which guanxi never asks for). */
const sendScopeSet = new Set<string>([gmailScopes.send, gmailScopes.modify, gmailScopes.full]);
const accessTokenSeconds = 3599; // what Google's token endpoint says in expires_in

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface AuthorizeOptions {
  /** The client the code is for; checked at the exchange when the fake has a client configured. */
  clientId?: string;
  /** When given, the exchange must send the same redirect_uri, as Google requires. */
  redirectUri?: string;
  /** Include a refresh token in the exchange (offline access); default true. */
  offline?: boolean;
}

export interface SignInOptions {
  /** The user presses Cancel: the redirect carries `error=access_denied`. */
  deny?: boolean;
  /** Granular consent: only these of the requested scopes are granted. */
  grantOnly?: string[];
}

export interface AccessGrant {
  address: string;
  scopes: string[];
}

export type AccessCheck = { ok: true; grant: AccessGrant } | { ok: false; why: 'missing' | 'unknown' | 'expired' };

export interface OAuthAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Code extends AccessGrant {
  clientId: string | undefined;
  redirectUri: string | undefined;
  offline: boolean;
  forceConsent: boolean;
}

interface RefreshGrant extends AccessGrant {
  clientId: string | undefined;
  revoked: boolean;
}

export class FakeGoogleOAuth {
  readonly #clock: Clock;
  readonly #keys: GoogleSigningKeys;
  readonly #client: OAuthClientConfig | undefined;
  readonly #knows: (address: string) => boolean;
  readonly #codes = new Map<string, Code>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  readonly #accessTokens = new Map<string, AccessGrant & { expiresAt: number }>();
  #signedIn: { address: string; options: SignInOptions } | undefined;
  #count = 0;
  /** The client secret the token endpoint accepts, until it is changed. */
  #clientSecret: string | undefined;

  constructor(clock: Clock, keys: GoogleSigningKeys, client: OAuthClientConfig | undefined, knows: (address: string) => boolean) {
    this.#clock = clock;
    this.#keys = keys;
    this.#client = client;
    this.#knows = knows;
    this.#clientSecret = client?.clientSecret;
  }

  /** The OAuth client's secret is reset in Google Cloud: the old one is refused from now on. */
  changeClientSecret(): void {
    this.#clientSecret = `reset-${++this.#count}`;
  }

  /** A one-use authorization code, as if `address` had consented to `scopes`. */
  authorize(address: string, scopes: string[], options: AuthorizeOptions = {}): string {
    return this.#issueCode({
      address, scopes, clientId: options.clientId, redirectUri: options.redirectUri,
      offline: options.offline ?? true, forceConsent: true,
    });
  }

  signInAs(address: string, options: SignInOptions = {}): void {
    this.#signedIn = { address, options };
  }

  /** GET /o/oauth2/v2/auth: consent and a 302 back to redirect_uri with `code` (or `error`) and `state`. */
  consent(url: URL): OAuthAnswer {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri) return { status: 400, body: 'Error 400: invalid_request. Missing required parameter: redirect_uri' };
    const clientId = query.get('client_id') ?? undefined;
    if (this.#client && clientId !== this.#client.clientId) return { status: 401, body: 'Error 401: invalid_client. The OAuth client was not found.' };
    const hint = query.get('login_hint') ?? undefined;
    const who = this.#signedIn ?? (hint && this.#knows(hint) ? { address: hint, options: {} } : undefined);
    if (!who) return { status: 400, body: 'The Gmail fake has nobody signed in: call fake.signInAs(address) first, or send login_hint.' };
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (who.options.deny) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const requested = (query.get('scope') ?? '').split(/\s+/).filter(Boolean);
      const scopes = who.options.grantOnly ? requested.filter((scope) => who.options.grantOnly!.includes(scope)) : requested;
      const code = this.#issueCode({
        address: who.address, scopes, clientId, redirectUri,
        offline: query.get('access_type') === 'offline',
        forceConsent: (query.get('prompt') ?? '').split(/\s+/).includes('consent'),
      });
      back.searchParams.set('code', code);
      back.searchParams.set('scope', scopes.join(' '));
    }
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, body: '', headers: { Location: back.href } };
  }

  /** POST /token with `grant_type=authorization_code` or `refresh_token`. */
  token(form: URLSearchParams, authorization: string | undefined): OAuthAnswer {
    const client = clientCredentials(form, authorization);
    if (this.#client) {
      if (client.id !== this.#client.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
      if (client.secret !== this.#clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.#exchange(form, client.id);
    if (grantType === 'refresh_token') return this.#refresh(form, client.id);
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }

  checkAccess(bearer: string | undefined): AccessCheck {
    if (bearer === undefined) return { ok: false, why: 'missing' };
    const grant = this.#accessTokens.get(bearer);
    if (!grant) return { ok: false, why: 'unknown' };
    if (this.#clock.now().getTime() >= grant.expiresAt) return { ok: false, why: 'expired' };
    return { ok: true, grant };
  }

  /** The user removes the app's access (or an admin does): refresh and access tokens stop working. */
  revoke(address: string): void {
    for (const grant of this.#refreshTokens.values()) if (grant.address === address) grant.revoked = true;
    this.expireAccessTokens(address);
  }

  expireAccessTokens(address: string): void {
    for (const [token, grant] of this.#accessTokens) if (grant.address === address) this.#accessTokens.delete(token);
  }

  #exchange(form: URLSearchParams, clientId: string | undefined): OAuthAnswer {
    const codeValue = form.get('code') ?? '';
    const code = this.#codes.get(codeValue);
    this.#codes.delete(codeValue); // one use, even when the exchange fails
    if (!code) return oauthError(400, 'invalid_grant', codeValue ? 'Bad Request' : 'Missing required parameter: code');
    if (code.clientId !== undefined && code.clientId !== clientId) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (code.redirectUri !== undefined && code.redirectUri !== form.get('redirect_uri')) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    // Google sends a refresh token for offline access, and again only when consent was asked anew.
    const hasLiveRefresh = [...this.#refreshTokens.values()].some((grant) => grant.address === code.address && grant.clientId === clientId && !grant.revoked);
    const body: Record<string, unknown> = this.#accessAnswer(code, clientId);
    if (code.offline && (code.forceConsent || !hasLiveRefresh)) {
      const refreshToken = `1//fake-refresh-${++this.#count}-${randomBytes(8).toString('hex')}`;
      this.#refreshTokens.set(refreshToken, { address: code.address, scopes: code.scopes, clientId, revoked: false });
      body.refresh_token = refreshToken;
    }
    return { status: 200, body };
  }

  #refresh(form: URLSearchParams, clientId: string | undefined): OAuthAnswer {
    const grant = this.#refreshTokens.get(form.get('refresh_token') ?? '');
    if (!grant) return oauthError(400, 'invalid_grant', 'Bad Request');
    if (grant.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (grant.clientId !== undefined && grant.clientId !== clientId) return oauthError(401, 'unauthorized_client', 'Unauthorized');
    return { status: 200, body: this.#accessAnswer(grant, clientId) };
  }

  #accessAnswer(grant: AccessGrant, clientId: string | undefined): Record<string, unknown> {
    const accessToken = `ya29.fake-${++this.#count}-${randomBytes(12).toString('hex')}`;
    this.#accessTokens.set(accessToken, { ...grant, expiresAt: this.#clock.now().getTime() + accessTokenSeconds * 1000 });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: accessTokenSeconds,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    };
    if (grant.scopes.some((scope) => scope === 'openid' || scope === 'email' || scope.endsWith('/userinfo.email'))) {
      body.id_token = this.#idToken(grant.address, clientId);
    }
    return body;
  }

  /** iat/exp in real time: google-auth-library checks them against Date.now(), not the fake's clock. */
  #idToken(address: string, clientId: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    return this.#keys.sign({
      iss: 'https://accounts.google.com', azp: clientId ?? '', aud: clientId ?? '', sub: subjectFor(address),
      email: address, email_verified: true, iat: now, exp: now + 3600,
    });
  }

  #issueCode(code: Code): string {
    const value = `4/fake-code-${++this.#count}-${randomBytes(8).toString('hex')}`;
    this.#codes.set(value, code);
    return value;
  }
}

/** True when the grant carries any Gmail scope that reads (the API answers 403 otherwise). */
export function hasGmailScope(scopes: string[]): boolean {
  return scopes.some((scope) => gmailScopeSet.has(scope));
}

/** True when the grant may send mail (users.messages.send answers 403 insufficientPermissions otherwise). */
export function canSend(scopes: string[]): boolean {
  return scopes.some((scope) => sendScopeSet.has(scope));
}

/**
 * Whether the metadata scope's limits apply: no `q` on messages.list, no
 * `full`/`raw` format. Reported to hold whenever gmail.metadata is among the
 * granted scopes, even beside gmail.readonly.
 */
export function isMetadataOnly(scopes: string[]): boolean {
  return scopes.includes(gmailScopes.metadata);
}

/** A stable numeric Google account id per address. */
export function subjectFor(address: string): string {
  let hash = 0n;
  for (const char of address.toLowerCase()) hash = (hash * 131n + BigInt(char.codePointAt(0)!)) % 10n ** 20n;
  return (10n ** 20n + hash).toString().slice(0, 21);
}

function clientCredentials(form: URLSearchParams, authorization: string | undefined): { id: string | undefined; secret: string | undefined } {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { id, secret };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

function oauthError(status: number, error: string, description: string): OAuthAnswer {
  return { status, body: { error, error_description: description } };
}
