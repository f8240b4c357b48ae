import { forEachBounded } from '../../adapters/bounded-parallel';

describe('forEachBounded', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('runs every item with at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([...Array(40).keys()], 6, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      seen.push(i);
      inFlight--;
    });
    expect(peak).toBe(6);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
  });

  it('starts nothing new after a failure and rejects with it once the rest settled', async () => {
    const started: number[] = [];
    let settled = 0;
    const run = forEachBounded([...Array(20).keys()], 3, async (i) => {
      started.push(i);
      await tick();
      settled++;
      if (i === 1) throw new Error('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect(started.length).toBeLessThan(20);
    expect(settled).toBe(started.length);
  });
});
