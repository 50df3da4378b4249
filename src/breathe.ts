/** Waits one turn of the event loop: long work that calls it between slices lets other requests through meanwhile. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
