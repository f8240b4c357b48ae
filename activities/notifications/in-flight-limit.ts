/**
 * A counting semaphore for one process: at most `limit` calls of `run` in flight, the rest wait in
 * arrival order. The notifications worker holds one for all its batch pages together: a page bounds
 * its own messages (NOTIFY_BATCH_CONCURRENCY), but several batches' pages run at once (each
 * `POST /users/notifications/kyc` is a batch), and their sum is what the worker's heap must hold.
 */
export class InFlightLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('an in-flight limit needs at least one slot');
  }

  /** Calls now in flight (for tests and progress reports). */
  get inFlight(): number {
    return this.active;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter (the count stays), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
