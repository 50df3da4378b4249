import { auth } from 'googleapis/build/src/apis/gmail/index.js';
import type { PushTokenVerifier } from './gmail-routes.ts';

/**
 * Google's own check of a Pub/Sub push's OIDC token (PLATFORMS.md B2): signed
 * with one of Google's published keys (`certsUrl`, Google's unless a test
 * says otherwise), for our endpoint as the audience, issued by
 * accounts.google.com to a verified service account.
 */
export function googlePushTokens(certsUrl?: string): PushTokenVerifier {
  const client = new auth.OAuth2(certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl } } : {});
  return async (token, audience) => {
    try {
      const claims = (await client.verifyIdToken({ idToken: token, audience })).getPayload();
      return claims?.iss === 'https://accounts.google.com' && claims.email_verified === true && typeof claims.email === 'string';
    } catch {
      return false;
    }
  };
}
