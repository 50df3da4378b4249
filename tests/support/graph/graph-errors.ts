import { randomUUID } from 'node:crypto';

/**
 * The error bodies Microsoft Graph and the Microsoft identity platform send
 * (PLATFORMS.md C). The Graph client turns `error.code`/`error.message` into
 * GraphError's `code`/`message` and reads `innerError["request-id"]` and
 * `innerError.date`; MSAL reads `error`, `error_description`, `error_codes`
 * and `suberror` from the token endpoint.
 */

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

export function graphError(code: string, message: string, now: Date): GraphErrorBody {
  const requestId = randomUUID();
  return { error: { code, message, innerError: { date: now.toISOString().replace(/\.\d+Z$/, 'Z'), 'request-id': requestId, 'client-request-id': requestId } } };
}

// The throttling answer of an Outlook mailbox (PLATFORMS.md C7).
export const mailboxThrottled = (now: Date): GraphErrorBody =>
  graphError('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', now);

/** What `failNext` sends when the test gives no body: Graph's usual words for that status. */
export function defaultGraphFailure(status: number, now: Date): GraphErrorBody {
  switch (status) {
    case 400: return graphError('BadRequest', 'Bad request.', now);
    case 401: return graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', now);
    case 403: return graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.', now);
    case 404: return graphError('ErrorItemNotFound', 'The specified object was not found in the store.', now);
    case 410: return syncStateNotFound(now);
    case 429: return mailboxThrottled(now);
    case 503: return graphError('ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.', now);
    case 504: return graphError('UnknownError', 'Gateway timeout.', now);
    default: return graphError(status >= 500 ? 'InternalServerError' : 'BadRequest', status >= 500 ? 'Internal server error.' : 'Bad request.', now);
  }
}

/**
 * An expired or forgotten delta token. Seen on the wire as `SyncStateNotFound`
 * (Graph's error list writes `syncStateNotFound`): compare case-insensitively,
 * or act on the 410 alone.
 */
export const syncStateNotFound = (now: Date): GraphErrorBody =>
  graphError('SyncStateNotFound', 'The sync state generation is not found; generation=0;[highest=1][1].', now);

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
}

/** A token-endpoint refusal: `AADSTS<n>: <text>` plus the trace lines Entra ID appends. */
export function aadError(error: string, aadsts: number, text: string, now: Date, correlationId: string = randomUUID(), suberror?: string): AadErrorBody {
  const timestamp = now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const traceId = randomUUID();
  const body: AadErrorBody = {
    error,
    error_description: `AADSTS${aadsts}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  };
  if (suberror !== undefined) body.suberror = suberror;
  return body;
}
