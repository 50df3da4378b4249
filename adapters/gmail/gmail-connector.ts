/** Gmail's module of googleapis alone: the package's index loads every Google API, over half a second at each start. */
import { auth, gmail } from 'googleapis/build/src/apis/gmail/index.js';
import type { Clock } from '../../src/clock.ts';
import type { GmailConfig } from '../../src/config.ts';
import { ProviderAuthError } from '../../src/errors.ts';
import type { MailConnector } from '../../src/mail/mail-port.ts';
import { googleReasonOf, translateGoogleError } from './gmail-errors.ts';
import { gmailMailbox } from './gmail-mailbox.ts';

/** Headers and snippets only: guanxi never reads a body. gmail.send sends polls from the rep's own address, and cannot read anything. */
const scopes = ['https://www.googleapis.com/auth/gmail.metadata', 'https://www.googleapis.com/auth/gmail.send'];

/** Scopes that read mail: any of them lets guanxi do its work (gmail.send reads nothing). */
const readingScopes = [scopes[0], 'https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.modify', 'https://mail.google.com/'];

/**
 * Google sign-in and Gmail clients, built from the config: every base URL is
 * configurable, so tests point them at a local fake (PLATFORMS.md B7: rootUrl
 * is per API, and only its origin is used).
 */
export function gmailConnector(config: GmailConfig, options: { redirectUri: string; clock: Clock }): MailConnector {
  const oauth = () =>
    // forceRefreshOnFailure: a 401 gets a fresh access token even when the client believes its own has not expired.
    new auth.OAuth2({ clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: options.redirectUri, endpoints: { oauth2TokenUrl: config.tokenUrl }, forceRefreshOnFailure: true });
  // Retries are ours (with-retry.ts, on the injected clock), not gaxios's.
  const gmailFor = (client: ReturnType<typeof oauth>) => gmail({ version: 'v1', auth: client, rootUrl: config.apiRootUrl, retry: false });

  return {
    provider: 'gmail',
    async signInUrl(state) {
      // offline + consent: Google hands out a refresh token only then.
      return oauth().generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: scopes, state, include_granted_scopes: true });
    },
    async completeSignIn(code) {
      const client = oauth();
      try {
        const { tokens } = await client.getToken(code);
        if (!tokens.refresh_token) throw new ProviderAuthError('Google did not grant lasting access. Sign in again and allow guanxi to read your mail\'s headers.');
        // Google's consent screen lets a person untick each permission; the token says which were granted.
        if (tokens.scope !== undefined && !tokens.scope.split(' ').some((scope) => readingScopes.includes(scope))) {
          throw new ProviderAuthError(
            'Google did not let guanxi read your mail\'s headers: the permission to view your email message metadata was left unticked. Type /crm connect gmail in Slack to sign in again, and keep it ticked.',
          );
        }
        client.setCredentials(tokens);
        const { data } = await gmailFor(client).users.getProfile({ userId: 'me' });
        return { address: data.emailAddress!, refreshToken: tokens.refresh_token };
      } catch (error) {
        if (googleReasonOf(error) === 'failedPrecondition') {
          throw new ProviderAuthError('Google says this account has no Gmail (Mail service not enabled). Type /crm connect gmail in Slack and sign in with the Google account of your work mail.', { cause: error });
        }
        throw translateGoogleError(error, 'other');
      }
    },
    open(mailbox, refreshToken) {
      const client = oauth();
      client.setCredentials({ refresh_token: refreshToken });
      return gmailMailbox(gmailFor(client), mailbox, { topic: config.pubsubTopic, clock: options.clock });
    },
  };
}
