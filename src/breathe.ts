/**
 * Waits until the event loop has polled for I/O once: long work that calls it
 * between slices lets other requests through meanwhile. One setImmediate is
 * not enough when the work runs in an I/O callback (a query's rows, a
 * request): that immediate runs right after the callback, before the loop
 * polls again; the second one runs only after the next poll.
 */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
