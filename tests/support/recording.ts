/**
 * What a fake platform recorded, plus waiters woken on arrival: the app
 * answers a request first and calls the platform afterwards, so tests wait for
 * the call rather than poll.
 */
export class Recording<T> {
  readonly items: T[] = [];
  readonly #waiters = new Set<{ matches: (item: T) => boolean; resolve: (item: T) => void }>();

  add(item: T): void {
    this.items.push(item);
    for (const waiter of this.#waiters) {
      if (!waiter.matches(item)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  next(matches: (item: T) => boolean, timeoutMs: number, describeTimeout: () => string): Promise<T> {
    const seen = this.items.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.items.length = 0;
  }
}
