import { TokenBucket } from '../../adapters/notifications/token-bucket';

describe('provider token bucket', () => {
  it('lets a burst through at once, then meters the rest at the rate, first come first served', async () => {
    const bucket = new TokenBucket(20, 2); // 20 requests/s: one token every 50 ms after a burst of 2
    const start = Date.now();
    const order: number[] = [];
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        bucket.take().then(() => {
          order.push(i);
          at.push(Date.now() - start);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(at[1]).toBeLessThan(50); // the burst
    // Four more tokens at 50 ms each: never sooner (a busy machine can only make it later).
    expect(at[5]).toBeGreaterThanOrEqual(190);
  });

  it('refuses a rate or burst that could never hand out a token', () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0.5)).toThrow(RangeError);
  });
});
