/**
 * The error bodies Google's JSON APIs send (PLATFORMS.md B6; Gmail "Resolve
 * errors" guide). gaxios turns `error.message` into the GaxiosError's message,
 * and adapters read `error.errors[0].reason`, so both must look like Google's.
 */

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: { code: number; message: string; errors: GoogleErrorItem[]; status: string };
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function googleError(code: number, message: string, reason: string, item: Partial<GoogleErrorItem> = {}): GoogleErrorBody {
  return {
    error: {
      code,
      message,
      errors: [{ message, domain: 'global', reason, ...item }],
      status: statusNames[code] ?? 'UNKNOWN',
    },
  };
}

export const notFound = (): GoogleErrorBody => googleError(404, 'Requested entity was not found.', 'notFound');

/** What users.watch answers when gmail-api-push@system.gserviceaccount.com may not publish to the topic. */
export const pubsubNotAuthorized = (topic: string): GoogleErrorBody =>
  googleError(403, `Error sending test message to Cloud PubSub ${topic} : User not authorized to perform this action.`, 'forbidden');

/** What users.watch answers for a topic of another Google Cloud project than the OAuth client's. */
export const topicOfAnotherProject = (): GoogleErrorBody =>
  googleError(400, 'Invalid topicName does not match projects/guanxi-test/topics/*', 'invalidArgument');

/** What Gmail answers for a Google account without Gmail (a Workspace user whose mail is off, or an account made for an address elsewhere). */
export function mailServiceNotEnabled(): GoogleErrorBody {
  const body = googleError(400, 'Mail service not enabled', 'failedPrecondition');
  return { error: { ...body.error, status: 'FAILED_PRECONDITION' } };
}

export const invalidArgument = (message: string): GoogleErrorBody => googleError(400, message, 'invalidArgument');

export const loginRequired = (): GoogleErrorBody =>
  googleError(401, 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', 'required', {
    location: 'Authorization',
    locationType: 'header',
  });

export function invalidCredentials(): GoogleErrorBody {
  const body = googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', 'authError', {
    location: 'Authorization',
    locationType: 'header',
  });
  body.error.errors[0]!.message = 'Invalid Credentials';
  return body;
}

export const insufficientScopes = (): GoogleErrorBody =>
  googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');

export const forbidden = (message: string): GoogleErrorBody => googleError(403, message, 'forbidden');

/** A per-user quota overrun: 429 `rateLimitExceeded` (or 403 `userRateLimitExceeded`, older style), domain usageLimits. */
export function rateLimited(status: 429 | 403, reason: 'rateLimitExceeded' | 'userRateLimitExceeded', retryAt: Date): GoogleErrorBody {
  const message = reason === 'userRateLimitExceeded'
    ? 'User Rate Limit Exceeded'
    : `User-rate limit exceeded.  Retry after ${retryAt.toISOString()}`;
  return googleError(status, message, reason, { domain: 'usageLimits' });
}

/** What `failNext` sends when the test gives no body: the usual words for that status. */
export function defaultFailure(status: number, reason: string | undefined, now: Date): GoogleErrorBody {
  if (status === 429) return rateLimited(429, (reason ?? 'rateLimitExceeded') as 'rateLimitExceeded', now);
  if (status === 403 && (reason === undefined || reason.endsWith('ateLimitExceeded'))) {
    return rateLimited(403, (reason ?? 'userRateLimitExceeded') as 'userRateLimitExceeded', now);
  }
  if (status === 401) return invalidCredentials();
  if (status === 404) return notFound();
  if (status === 503) return googleError(503, 'The service is currently unavailable.', reason ?? 'backendError');
  if (status >= 500) return googleError(status, 'Backend Error', reason ?? 'backendError');
  return googleError(status, 'Bad Request', reason ?? 'badRequest');
}
