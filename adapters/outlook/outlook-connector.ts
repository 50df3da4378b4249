import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, MiddlewareFactory, RetryHandler } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../../src/clock.ts';
import type { OutlookConfig } from '../../src/config.ts';
import { ForbiddenError, NotFoundError, ProviderAuthError } from '../../src/errors.ts';
import { appOnlyGrant, type MailConnector } from '../../src/mail/mail-port.ts';
import { translateMicrosoftError } from './outlook-errors.ts';
import { outlookMailbox } from './outlook-mailbox.ts';

/** Reading mail, and a refresh token to go on doing it (offline_access, which MSAL adds). */
const scopes = ['Mail.Read', 'User.Read'];
/**
 * What the rep consents to at sign-in: reading, and sending polls from their
 * own address (Mail.Send). Access tokens are asked for with the reading scopes
 * only, so that a mailbox connected before Mail.Send was asked for still reads;
 * Microsoft's tokens carry every permission consented for Graph, Mail.Send included.
 */
const signInScopes = [...scopes, 'Mail.Send'];

export interface OutlookConnectorOptions {
  redirectUri: string;
  publicUrl: string;
  webhookSecret: string;
  clock: Clock;
}

/**
 * Microsoft sign-in (MSAL) and Graph clients, built from the config. Every
 * base URL is configurable so tests point them at a local fake: MSAL is told
 * the authority is known (no instance discovery at Microsoft), and the Graph
 * client sends its token to the configured host (PLATFORMS.md C8). Retries are
 * ours, on the injected clock, so Graph's RetryHandler is left out.
 */
export function outlookConnector(config: OutlookConfig, options: OutlookConnectorOptions): MailConnector {
  const authority = `${config.authorityUrl}${config.tenantId}`;
  const msal = new ConfidentialClientApplication({
    auth: { clientId: config.clientId, clientSecret: config.clientSecret, authority, knownAuthorities: [new URL(authority).host] },
  });
  const graphWith = (token: () => string) => {
    const authProvider = { getAccessToken: async () => token() };
    const middleware = MiddlewareFactory.getDefaultMiddlewareChain(authProvider).filter((handler) => !(handler instanceof RetryHandler));
    return Client.initWithMiddleware({ baseUrl: config.graphBaseUrl, customHosts: new Set([new URL(config.graphBaseUrl).hostname]), middleware });
  };
  /** The app's own access to every mailbox of the tenant (application permission Mail.Read, granted by an admin). */
  const appToken = async () => {
    try {
      // The scope names Graph as a resource, wherever GRAPH_BASE_URL points: it is an identifier, not an address.
      const result = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      if (!result) throw new ProviderAuthError('Microsoft gave guanxi no access of its own to the organisation\'s mailboxes.');
      return result.accessToken;
    } catch (error) {
      throw translateMicrosoftError(error);
    }
  };
  /** A new access token from the stored refresh token (each call goes to the token endpoint). */
  const accessTokenFor = async (refreshToken: string) => {
    try {
      const result = await msal.acquireTokenByRefreshToken({ refreshToken, scopes });
      if (!result) throw new ProviderAuthError('Microsoft gave no access token for this mailbox.');
      return result.accessToken;
    } catch (error) {
      throw translateMicrosoftError(error);
    }
  };

  return {
    provider: 'outlook',
    signInUrl: (state) => msal.getAuthCodeUrl({ scopes: signInScopes, redirectUri: options.redirectUri, state, prompt: 'select_account' }),
    async completeSignIn(code) {
      try {
        const result = await msal.acquireTokenByCode({ code, scopes: signInScopes, redirectUri: options.redirectUri });
        const refreshToken = refreshTokenOf(msal.getTokenCache().serialize(), result.account?.homeAccountId);
        if (!refreshToken) throw new ProviderAuthError('Microsoft did not grant lasting access. Sign in again and allow guanxi to read your mail.');
        const me = (await graphWith(() => result.accessToken).api('/me').select(['mail', 'userPrincipalName']).get()) as { mail?: string | null; userPrincipalName?: string };
        return { address: (me.mail ?? me.userPrincipalName ?? result.account!.username).toLowerCase(), refreshToken };
      } catch (error) {
        throw translateMicrosoftError(error);
      }
    },
    open(mailbox, refreshToken) {
      let token: string | null = null;
      const appOnly = refreshToken === appOnlyGrant;
      return outlookMailbox(graphWith(() => token!), mailbox, {
        clock: options.clock,
        publicUrl: options.publicUrl,
        webhookSecret: options.webhookSecret,
        base: appOnly ? `/users/${encodeURIComponent(mailbox.address)}` : '/me',
        accessToken: async (fresh) => {
          if (!token || fresh) token = appOnly ? await appToken() : await accessTokenFor(refreshToken);
        },
      });
    },
    async appOnly(address) {
      try {
        const token = await appToken();
        const user = (await graphWith(() => token).api(`/users/${encodeURIComponent(address)}`).select(['mail', 'userPrincipalName']).get()) as { mail?: string | null; userPrincipalName?: string };
        return (user.mail ?? user.userPrincipalName ?? address).toLowerCase();
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404) throw new NotFoundError(`Microsoft knows no one in your organisation as ${address}. Check the address (a person's main address or user name), then try again.`);
        if (status === 403) {
          throw new ForbiddenError(
            `Microsoft does not let guanxi look up ${address} with its own access. In the Microsoft Entra admin center, give the app registration the application permissions User.Read.All, Mail.Read and Mail.Send, and grant admin consent; then try again.`,
          );
        }
        throw translateMicrosoftError(error);
      }
    },
  };
}

/** MSAL Node keeps refresh tokens in its cache only; the one for this account is read from the serialized cache. */
function refreshTokenOf(serializedCache: string, homeAccountId: string | undefined): string | null {
  const cache = JSON.parse(serializedCache) as { RefreshToken?: Record<string, { secret: string; home_account_id: string }> };
  const tokens = Object.values(cache.RefreshToken ?? {});
  return (tokens.find((t) => t.home_account_id === homeAccountId) ?? tokens[0])?.secret ?? null;
}
