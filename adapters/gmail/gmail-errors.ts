import { CursorExpiredError, GuanxiError, ProviderAuthError, ProviderTemporaryError } from '../../src/errors.ts';

interface GoogleFailure {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; headers?: Headers | Record<string, string>; data?: { error?: unknown } };
}

const rateLimitReasons = /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/;

/** The HTTP status of a Google failure (gaxios puts it on the response, and on the error itself). */
export function googleStatusOf(error: unknown): number | undefined {
  const failure = (error ?? {}) as GoogleFailure;
  return failure.response?.status ?? (typeof failure.status === 'number' ? failure.status : undefined);
}

/** The reason Google gives for a failure (`failedPrecondition`, `rateLimitExceeded`…), if it gave one. */
export function googleReasonOf(error: unknown): string | undefined {
  const data = ((error ?? {}) as GoogleFailure).response?.data as { error?: { errors?: { reason?: string }[] } } | undefined;
  return data?.error?.errors?.[0]?.reason;
}

/**
 * Google's failures as the shared codes that decide the next step
 * (PLATFORMS.md B3, B6): a refused OAuth client is the configuration's to
 * fix, not the rep's; a refused grant (invalid_grant, 401) means signing in
 * again; 429, 403 rate-limit reasons and 5xx pass with time; history's 404
 * means the cursor is gone. Anything else is thrown as it came.
 */
export function translateGoogleError(error: unknown, during: 'history' | 'other'): unknown {
  const failure = (error ?? {}) as GoogleFailure;
  const status = googleStatusOf(error);
  const detail = JSON.stringify(failure.response?.data ?? '') + (failure.message ?? '');
  if (detail.includes('invalid_client') || detail.includes('unauthorized_client')) {
    return new GuanxiError(
      'config_invalid',
      'Google refused guanxi\'s OAuth client (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET): its secret was reset, or the client was deleted. An admin copies both again from Google Cloud\'s Credentials page and restarts guanxi (README, "Connect Gmail").',
      { cause: error },
    );
  }
  if (detail.includes('invalid_grant') || status === 401) {
    return new ProviderAuthError('Google no longer accepts guanxi\'s access to this mailbox: the permission was withdrawn or has expired.', { cause: error });
  }
  if (status === 404 && during === 'history') return new CursorExpiredError('Gmail no longer has the mailbox history guanxi last read from.', { cause: error });
  if (status === 429 || (status === 403 && rateLimitReasons.test(detail)) || (status !== undefined && status >= 500)) {
    return new ProviderTemporaryError(`Gmail answered ${status}${status === 429 || status === 403 ? ' (over its rate limit)' : ''}; trying again shortly.`, { cause: error, retryAfterMs: retryAfterMs(failure) });
  }
  if (status === undefined && typeof failure.code === 'string' && /^(ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(failure.code)) {
    return new ProviderTemporaryError('Gmail could not be reached; trying again shortly.', { cause: error });
  }
  return error;
}

function retryAfterMs(failure: GoogleFailure): number | null {
  const headers = failure.response?.headers;
  const value = headers instanceof Headers ? headers.get('retry-after') : headers?.['retry-after'];
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}
