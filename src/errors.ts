/**
 * The one place failures are modelled. A user sees `message`, a sentence that
 * says what to do; the log sees `code` and `cause`.
 */
export type ErrorCode =
  | 'user_input'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'store_invalid'
  | 'store_locked'
  | 'config_invalid'
  | 'provider_temporary'
  | 'provider_auth'
  | 'cursor_expired';

export class GuanxiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A failure only an admin can fix (a refused token, a missing permission): retrying each item in turn would only fail the same way. */
export function isConfigInvalid(error: unknown): error is GuanxiError {
  return error instanceof GuanxiError && error.code === 'config_invalid';
}

/** Bad arguments to a command: `usage` and `example` show the right form. */
export class UserInputError extends GuanxiError {
  readonly usage: string | null;
  readonly example: string | null;

  constructor(message: string, help: { usage?: string; example?: string } = {}) {
    super('user_input', message);
    this.usage = help.usage ?? null;
    this.example = help.example ?? null;
  }
}

export class NotFoundError extends GuanxiError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends GuanxiError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class ForbiddenError extends GuanxiError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A data file that does not hold what it should; nothing is loaded or overwritten. */
export class StoreInvalidError extends GuanxiError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('store_invalid', `The store has ${problems.length} invalid record(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export class StoreLockedError extends GuanxiError {
  constructor(message: string) {
    super('store_locked', message);
  }
}

export class ConfigError extends GuanxiError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('config_invalid', `The configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** The provider failed in a way that passes: retry later (a 5xx, a 429). `retryAfterMs` is the provider's own ask, if it made one. */
export class ProviderTemporaryError extends GuanxiError {
  readonly retryAfterMs: number | null;

  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number | null }) {
    super('provider_temporary', message, options);
    this.retryAfterMs = options?.retryAfterMs ?? null;
  }
}

/** The provider no longer accepts our grant: the person must sign in again. */
export class ProviderAuthError extends GuanxiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('provider_auth', message, options);
  }
}

/** The provider no longer knows where we left off (Gmail's 404 history, Graph's expired delta): read the window again. */
export class CursorExpiredError extends GuanxiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('cursor_expired', message, options);
  }
}
