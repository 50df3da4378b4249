import { CursorExpiredError, GuanxiError, NotFoundError, ProviderAuthError, ProviderTemporaryError } from '../../src/errors.ts';

interface MicrosoftFailure {
  statusCode?: number;
  code?: string | null;
  errorCode?: string;
  message?: string;
  headers?: Headers;
}

/**
 * Microsoft's failures as the shared codes that decide the next step
 * (PLATFORMS.md C6, C7): refused app credentials are the configuration's to
 * fix, not the rep's; a refused grant (MSAL's invalid_grant, whatever error
 * class carries it) means signing in again; 429 and 5xx pass with time,
 * honouring Retry-After; delta's 410 means the cursor is gone; a mailbox
 * Graph cannot reach (on-premises Exchange) is not found. Anything else is
 * thrown as it came.
 */
export function translateMicrosoftError(error: unknown): unknown {
  const failure = (error ?? {}) as MicrosoftFailure;
  if (failure.errorCode === 'invalid_grant' || failure.errorCode === 'interaction_required') {
    return new ProviderAuthError('Microsoft no longer accepts guanxi\'s access to this mailbox: the permission was withdrawn or has expired.', { cause: error });
  }
  if (failure.errorCode === 'invalid_client' || failure.errorCode === 'unauthorized_client') {
    const aadsts = /AADSTS\d+/.exec(failure.message ?? '')?.[0];
    return new GuanxiError(
      'config_invalid',
      `Microsoft refused guanxi's app registration (MS_CLIENT_ID and MS_CLIENT_SECRET${aadsts ? `, ${aadsts}` : ''}): its client secret is wrong or has expired, or the app is gone. An admin makes a new client secret under Certificates & secrets, sets MS_CLIENT_SECRET and restarts guanxi (README, "Connect Outlook").`,
      { cause: error },
    );
  }
  if (failure.code === 'MailboxNotEnabledForRESTAPI') {
    return new NotFoundError('Microsoft 365 cannot reach this mailbox: it is inactive, or kept on an on-premises Exchange server, which guanxi cannot read. Only Exchange Online mailboxes can be connected.');
  }
  const status = failure.statusCode;
  if (status === 410 || (failure.code ?? '').toLowerCase() === 'syncstatenotfound') {
    return new CursorExpiredError('Outlook no longer has the mailbox changes guanxi last read from.', { cause: error });
  }
  if (status === 429 || status === 503 || status === 504 || (status !== undefined && status >= 500)) {
    const retryAfter = Number(failure.headers?.get('retry-after'));
    return new ProviderTemporaryError(`Outlook answered ${status}${status === 429 ? ' (throttled)' : ''}; trying again shortly.`, {
      cause: error,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null,
    });
  }
  if (status === 401) return new ProviderTemporaryError('Outlook refused an expired access token; a fresh one is fetched.', { cause: error });
  return error;
}
