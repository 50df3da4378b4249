import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/clock.ts';
import type { GoogleSigningKeys } from '../gmail/google-keys.ts';
import { aadError } from './graph-errors.ts';

/**
 * The Microsoft identity platform's v2.0 endpoints as MSAL Node uses them:
 * OpenID configuration, /authorize (a consent page answered by `signInAs`),
 * /token for authorization_code, refresh_token and client_credentials, and the
 * signing keys. Access tokens are checked here for the Graph side.
 *
 * Access tokens expire on the injected clock; ID tokens carry real-time
 * iat/exp because MSAL reads them against Date.now().
 */

export interface MicrosoftUser {
  /** The directory object id (a GUID): `/users/{id}`, `oid`, the `Users/{id}/Messages/…` of notifications. */
  id: string;
  address: string;
  displayName: string;
}

export interface IdentityClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface SignInOptions {
  /** The user presses Cancel: the redirect carries `error=access_denied`. */
  deny?: boolean;
  /** Consent to only these of the requested scopes. */
  grantOnly?: string[];
}

export interface AuthorizeOptions {
  clientId?: string;
  /** When given, the exchange must send the same redirect_uri. */
  redirectUri?: string;
}

export interface RevokeOptions {
  /** Also send `suberror: "bad_token"`, which Entra ID adds to some refusals; MSAL then throws InteractionRequiredAuthError (errorCode still `invalid_grant`). */
  badToken?: boolean;
}

export type Grant =
  | { kind: 'delegated'; user: MicrosoftUser; scopes: string[]; clientId: string }
  | { kind: 'app'; roles: string[]; clientId: string };

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; why: 'missing' | 'unknown' | 'expired' };

export interface IdentityAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Code {
  user: MicrosoftUser;
  scopes: string[];
  clientId: string | undefined;
  redirectUri: string | undefined;
  challenge: { value: string; method: string } | undefined;
  nonce: string | undefined;
}

interface RefreshGrant {
  user: MicrosoftUser;
  scopes: string[];
  clientId: string;
  revoked: RevokeOptions | undefined;
  issuedAt: Date;
}

const accessTokenSeconds = 3599;
const oidcScopes = new Set(['openid', 'profile', 'email', 'offline_access']);
const reservedTenants = new Set(['common', 'organizations', 'consumers']);
export const graphResource = 'https://graph.microsoft.com';

export interface IdentityOptions {
  clock: Clock;
  /** `https://127.0.0.1:PORT`. */
  origin: string;
  tenantId: string;
  client: IdentityClientConfig | undefined;
  appRoles: string[];
  keys: GoogleSigningKeys;
  userByAddress: (address: string) => MicrosoftUser | undefined;
}

export class FakeMicrosoftIdentity {
  readonly #o: IdentityOptions;
  readonly #codes = new Map<string, Code>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  readonly #accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  #signedIn: { user: MicrosoftUser; options: SignInOptions } | undefined;
  /** The client secret the token endpoint accepts, until it is changed. */
  #clientSecret: string | undefined;

  constructor(options: IdentityOptions) {
    this.#o = options;
    this.#clientSecret = options.client?.clientSecret;
  }

  /** The app registration's secret is replaced (it expired, or an admin deleted it): the old one is refused from now on. */
  changeClientSecret(): void {
    this.#clientSecret = randomUUID();
  }

  /** Whether `/{tenant}/…` names this directory: its id, or a multi-tenant alias. */
  knowsTenant(tenant: string): boolean {
    return tenant === this.#o.tenantId || reservedTenants.has(tenant);
  }

  /** GET /{tenant}/v2.0/.well-known/openid-configuration, with Entra ID's fields. */
  openidConfiguration(tenant: string): Record<string, unknown> {
    const path = reservedTenants.has(tenant) ? tenant : this.#o.tenantId;
    const base = `${this.#o.origin}/${path}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      // A multi-tenant document keeps the `{tenantid}` placeholder, as Entra ID's does.
      issuer: `${this.#o.origin}/${reservedTenants.has(tenant) ? '{tenantid}' : this.#o.tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.#o.origin}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  signInAs(user: MicrosoftUser, options: SignInOptions = {}): void {
    this.#signedIn = { user, options };
  }

  /** A one-use code for `user`, as if they had consented to `scopes`. */
  authorize(user: MicrosoftUser, scopes: string[], options: AuthorizeOptions = {}): string {
    return this.#issueCode({ user, scopes, clientId: options.clientId, redirectUri: options.redirectUri, challenge: undefined, nonce: undefined });
  }

  /** GET /{tenant}/oauth2/v2.0/authorize: a 302 back to redirect_uri with `code` (or `error`), `state` and `client_info`. */
  consent(url: URL): IdentityAnswer {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri) return page(400, "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.");
    const clientId = query.get('client_id') ?? '';
    if (this.#o.client && clientId !== this.#o.client.clientId) {
      return page(400, `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${this.#o.tenantId}'.`);
    }
    if (query.get('response_type') !== 'code') return page(400, "AADSTS900144: The request body must contain the following parameter: 'response_type' (code).");
    const mode = query.get('response_mode') ?? 'query';
    if (mode !== 'query') return page(400, `The Graph fake answers response_mode=query only, not ${mode}.`);
    const hint = query.get('login_hint');
    const hinted = hint ? this.#o.userByAddress(hint) : undefined;
    const who = this.#signedIn ?? (hinted ? { user: hinted, options: {} } : undefined);
    if (!who) return page(400, 'The Graph fake has nobody signed in: call fake.signInAs(address) first, or send login_hint.');
    const back = new URL(redirectUri);
    if (who.options.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_subcode', 'cancel');
      back.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    } else {
      const requested = (query.get('scope') ?? '').split(/\s+/).filter(Boolean);
      const scopes = who.options.grantOnly ? requested.filter((s) => oidcScopes.has(s) || who.options.grantOnly!.some((g) => sameScope(g, s))) : requested;
      const challenge = query.get('code_challenge');
      back.searchParams.set('code', this.#issueCode({
        user: who.user, scopes, clientId, redirectUri,
        challenge: challenge ? { value: challenge, method: query.get('code_challenge_method') ?? 'plain' } : undefined,
        nonce: query.get('nonce') || undefined,
      }));
      if (query.get('client_info') === '1') back.searchParams.set('client_info', this.#clientInfo(who.user));
    }
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (!who.options.deny) back.searchParams.set('session_state', randomUUID());
    return { status: 302, body: '', headers: { Location: back.href } };
  }

  /** POST /{tenant}/oauth2/v2.0/token. */
  token(tenant: string, form: URLSearchParams, authorization: string | undefined, correlationId: string | undefined): IdentityAnswer {
    const fail = (status: number, error: string, aadsts: number, text: string, suberror?: string): IdentityAnswer =>
      ({ status, body: aadError(error, aadsts, text, this.#o.clock.now(), correlationId, suberror) });
    const client = clientCredentials(form, authorization);
    if (!client.id) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    if (this.#o.client) {
      if (client.id !== this.#o.client.clientId) {
        return fail(400, 'unauthorized_client', 700016, `Application with identifier '${client.id}' was not found in the directory '${this.#o.tenantId}'.`);
      }
      if (client.secret !== this.#clientSecret) {
        return fail(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.id}'.`);
      }
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.#exchange(form, client.id, fail);
    if (grantType === 'refresh_token') return this.#refresh(form, client.id, fail);
    if (grantType === 'client_credentials') {
      if (reservedTenants.has(tenant)) {
        return fail(400, 'invalid_request', 90002, `Tenant '${tenant}' cannot be used for the client credentials flow: use the tenant id.`);
      }
      const scope = form.get('scope') ?? '';
      if (!/\/\.default$/.test(scope) || scope.trim().includes(' ')) {
        return fail(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
      const grant: Grant = { kind: 'app', roles: [...this.#o.appRoles], clientId: client.id };
      return { status: 200, body: { token_type: 'Bearer', expires_in: accessTokenSeconds, ext_expires_in: accessTokenSeconds, access_token: this.#accessToken(grant) } };
    }
    return fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
  }

  checkAccess(bearer: string | undefined): AccessCheck {
    if (bearer === undefined || bearer === '') return { ok: false, why: 'missing' };
    const entry = this.#accessTokens.get(bearer);
    if (!entry) return { ok: false, why: 'unknown' };
    if (this.#o.clock.now().getTime() >= entry.expiresAt) return { ok: false, why: 'expired' };
    return { ok: true, grant: entry.grant };
  }

  /** The user's sessions are revoked (or their password reset): refresh tokens answer invalid_grant, access tokens 401. */
  revoke(user: MicrosoftUser, options: RevokeOptions = {}): void {
    for (const grant of this.#refreshTokens.values()) if (grant.user.id === user.id) grant.revoked = options;
    this.expireAccessTokens(user);
  }

  expireAccessTokens(user: MicrosoftUser): void {
    for (const [token, entry] of this.#accessTokens) {
      if (entry.grant.kind === 'delegated' && entry.grant.user.id === user.id) this.#accessTokens.delete(token);
    }
  }

  #exchange(form: URLSearchParams, clientId: string, fail: (s: number, e: string, n: number, t: string) => IdentityAnswer): IdentityAnswer {
    const value = form.get('code') ?? '';
    const code = this.#codes.get(value);
    if (!code) {
      return value === ''
        ? fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'code'.")
        : fail(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
    }
    this.#codes.delete(value); // one use, even when the exchange fails
    if (code.clientId !== undefined && code.clientId !== clientId) {
      return fail(400, 'invalid_grant', 70000, 'The provided authorization code was issued to a different client.');
    }
    if (code.redirectUri !== undefined && code.redirectUri !== form.get('redirect_uri')) {
      return fail(400, 'invalid_grant', 500117, `The reply uri specified in the request does not match the reply uri used in the authorization request: ${form.get('redirect_uri') ?? ''}.`);
    }
    if (code.challenge && !verifierMatches(code.challenge, form.get('code_verifier'))) {
      return fail(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
    }
    return { status: 200, body: this.#delegatedAnswer(code.user, withRequested(code.scopes, form.get('scope')), clientId, form, code.nonce) };
  }

  #refresh(form: URLSearchParams, clientId: string, fail: (s: number, e: string, n: number, t: string, sub?: string) => IdentityAnswer): IdentityAnswer {
    const grant = this.#refreshTokens.get(form.get('refresh_token') ?? '');
    if (!grant) return fail(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (grant.revoked) {
      const issued = grant.issuedAt.toISOString().replace('Z', '0000Z');
      return fail(400, 'invalid_grant', 50173,
        `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${this.#o.clock.now().toISOString()}'.`,
        grant.revoked.badToken ? 'bad_token' : undefined);
    }
    if (grant.clientId !== clientId) return fail(400, 'invalid_grant', 70000, 'The provided refresh token was issued to a different client application.');
    // Entra ID rotates refresh tokens: every answer carries a new one, and the old one keeps working.
    return { status: 200, body: this.#delegatedAnswer(grant.user, grant.scopes, clientId, form, undefined) };
  }

  #delegatedAnswer(user: MicrosoftUser, scopes: string[], clientId: string, form: URLSearchParams, nonce: string | undefined): Record<string, unknown> {
    const resourceScopes = scopes.filter((s) => !oidcScopes.has(s));
    const grant: Grant = { kind: 'delegated', user, scopes: resourceScopes.map(shortScope), clientId };
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopes.filter((s) => s !== 'offline_access').join(' '),
      expires_in: accessTokenSeconds,
      ext_expires_in: accessTokenSeconds,
      access_token: this.#accessToken(grant),
    };
    if (scopes.includes('offline_access')) {
      const refreshToken = `1.AQ${randomBytes(48).toString('base64url')}`;
      this.#refreshTokens.set(refreshToken, { user, scopes, clientId, revoked: undefined, issuedAt: this.#o.clock.now() });
      body.refresh_token = refreshToken;
    }
    if (scopes.includes('openid')) body.id_token = this.#idToken(user, clientId, nonce);
    if (form.get('client_info') === '1') body.client_info = this.#clientInfo(user);
    return body;
  }

  #accessToken(grant: Grant): string {
    const now = this.#o.clock.now().getTime();
    const seconds = Math.floor(now / 1000);
    const claims: Record<string, unknown> = {
      aud: graphResource, iss: `https://sts.windows.net/${this.#o.tenantId}/`, iat: seconds, nbf: seconds, exp: seconds + accessTokenSeconds,
      appid: grant.clientId, tid: this.#o.tenantId, ver: '1.0', uti: randomBytes(16).toString('base64url'),
    };
    if (grant.kind === 'delegated') Object.assign(claims, { oid: grant.user.id, upn: grant.user.address, scp: grant.scopes.join(' ') });
    else Object.assign(claims, { oid: appObjectId(grant.clientId), roles: grant.roles });
    const token = this.#o.keys.sign(claims);
    this.#accessTokens.set(token, { grant, expiresAt: now + accessTokenSeconds * 1000 });
    return token;
  }

  #idToken(user: MicrosoftUser, clientId: string, nonce: string | undefined): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      aud: clientId, iss: `${this.#o.origin}/${this.#o.tenantId}/v2.0`, iat: now, nbf: now, exp: now + 3600,
      name: user.displayName, oid: user.id, preferred_username: user.address, email: user.address,
      sub: createHash('sha256').update(`${clientId}:${user.id}`).digest('base64url').slice(0, 43),
      tid: this.#o.tenantId, uti: randomBytes(16).toString('base64url'), ver: '2.0',
    };
    if (nonce !== undefined) claims.nonce = nonce;
    return this.#o.keys.sign(claims);
  }

  /** `{uid, utid}` as base64url JSON: MSAL builds the account's homeAccountId from it. */
  #clientInfo(user: MicrosoftUser): string {
    return Buffer.from(JSON.stringify({ uid: user.id, utid: this.#o.tenantId })).toString('base64url');
  }

  #issueCode(code: Code): string {
    const value = `1.AQ${randomBytes(60).toString('base64url')}`;
    this.#codes.set(value, code);
    return value;
  }
}

/** `Mail.Read` and `https://graph.microsoft.com/Mail.Read` name the same permission. */
export function shortScope(scope: string): string {
  return scope.startsWith(`${graphResource}/`) ? scope.slice(graphResource.length + 1) : scope;
}

function sameScope(a: string, b: string): boolean {
  return shortScope(a).toLowerCase() === shortScope(b).toLowerCase();
}

/** The scopes of the token request, when it names some, must be among the consented ones; OIDC scopes are kept. */
function withRequested(consented: string[], requested: string | null): string[] {
  if (!requested) return consented;
  const asked = requested.split(/\s+/).filter(Boolean);
  return [...new Set([...consented.filter((s) => oidcScopes.has(s) || asked.some((a) => sameScope(a, s))), ...asked.filter((s) => oidcScopes.has(s))])];
}

export function appObjectId(clientId: string): string {
  return guidFrom(`app:${clientId}`);
}

/** A stable GUID for a name, shaped like a directory object id. */
export function guidFrom(name: string): string {
  const hex = createHash('sha256').update(name.toLowerCase()).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function verifierMatches(challenge: { value: string; method: string }, verifier: string | null): boolean {
  if (!verifier) return false;
  const expected = challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return expected === challenge.value;
}

function clientCredentials(form: URLSearchParams, authorization: string | undefined): { id: string | undefined; secret: string | undefined } {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent);
    return { id, secret };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

function page(status: number, text: string): IdentityAnswer {
  return { status, body: text };
}

