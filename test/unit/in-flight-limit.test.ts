import { InFlightLimit } from '../../activities/notifications/in-flight-limit';

describe('in-flight limit of the notifications worker', () => {
  it('never runs more than its limit at once, serves waiters in arrival order and frees slots on failure', async () => {
    const limit = new InFlightLimit(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const job = (i: number) =>
      limit.run(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
        running -= 1;
        if (i === 4) throw new Error('boom');
        return i;
      });
    // Two "pages" of 10 messages each, as two batches' pages would share one worker.
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => job(i)));
    expect(peak).toBe(3);
    // First come, first served: each freed slot went to the oldest waiter.
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(limit.inFlight).toBe(0);
    // A failure gave its slot back: the limit still admits three.
    await Promise.all([limit.run(async () => expect(limit.inFlight).toBe(1))]);
  });

  it('refuses a limit that could never admit a call', () => {
    expect(() => new InFlightLimit(0)).toThrow(RangeError);
  });
});
