/**
 * Outlook's per-mailbox concurrency limit (PLATFORMS.md C7: 4 requests at a
 * time per app and mailbox, refused with 429 ApplicationThrottled). The fake
 * answers at once, so requests rarely overlap on their own: a test holds them
 * with `hold()` to make them pile up, then releases them.
 */

export interface ThrottleOptions {
  /** Requests in flight per mailbox before the next is refused; default 4. */
  maxConcurrent?: number;
  /** Seconds in the Retry-After of a refusal; default 1. */
  retryAfter?: number;
}

export interface Hold {
  /** Requests waiting behind the hold. */
  readonly waiting: number;
  /** Lets every held request (and later ones) through. */
  release(): void;
}

export class MailboxThrottle {
  limit: Required<ThrottleOptions> | undefined;
  readonly #inFlight = new Map<string, number>();
  #gate: { promise: Promise<void>; open: () => void; waiting: number } | undefined;

  constructor(options: ThrottleOptions | boolean | undefined) {
    this.limit = options ? { maxConcurrent: 4, retryAfter: 1, ...(options === true ? {} : options) } : undefined;
  }

  /** Counts a request against the mailbox; undefined when it is one too many. The returned function ends it. */
  enter(mailbox: string): (() => void) | undefined {
    const current = this.#inFlight.get(mailbox) ?? 0;
    if (this.limit && current >= this.limit.maxConcurrent) return undefined;
    this.#inFlight.set(mailbox, current + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight.set(mailbox, (this.#inFlight.get(mailbox) ?? 1) - 1);
    };
  }

  /** Resolves at once, or when the test releases its hold. */
  async pass(): Promise<void> {
    const gate = this.#gate;
    if (!gate) return;
    gate.waiting++;
    await gate.promise;
  }

  hold(): Hold {
    if (this.#gate) throw new Error('the Graph fake is already holding requests');
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    const gate = { promise, open, waiting: 0 };
    this.#gate = gate;
    return {
      get waiting() {
        return gate.waiting;
      },
      release: () => {
        if (this.#gate === gate) this.#gate = undefined;
        gate.open();
      },
    };
  }
}
