/**
 * A per-process token bucket: `take()` resolves when a request may go out. One bucket per provider
 * account (SendGrid key, Twilio account, FCM project): the send path is no longer one Temporal
 * activity per provider request (a batch page sends many messages in one activity), so the
 * task-queue rate limit no longer meters provider requests and each worker meters its own.
 * Waiters are served in arrival order, so a burst cannot starve an urgent single message for long.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Sustained requests per second. */
    readonly ratePerSecond: number,
    /** How many may go at once after an idle spell (default: one second's worth). */
    readonly burst: number = ratePerSecond,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('token bucket needs a positive rate and burst');
    this.tokens = burst;
    this.last = now();
  }

  private refill() {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }

  /** Resolves once a token is available (immediately while the bucket has one and nobody waits). */
  take(): Promise<void> {
    this.refill();
    if (!this.waiters.length && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  private schedule() {
    if (this.timer) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.waiters.length && this.tokens >= 1) {
        this.tokens -= 1;
        this.waiters.shift()!();
      }
      if (this.waiters.length) this.schedule();
    }, wait);
  }
}
