/** Where the service reports what operators need to see. */
export interface Logger {
  info(message: string): void;
  warn(message: string, cause?: unknown): void;
  error(message: string, cause?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message, cause) => console.warn(cause === undefined ? message : `${message}: ${describe(cause)}`),
  error: (message, cause) => console.error(cause === undefined ? message : `${message}: ${describe(cause)}`),
};

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? cause.message;
  return String(cause);
}
