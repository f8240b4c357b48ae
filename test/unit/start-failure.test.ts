import { startMayHaveReachedServer } from '../../adapters/temporal/start-failure';

describe('startMayHaveReachedServer', () => {
  it('is true only for a deadline that ran out (the outcome is unknown)', () => {
    expect(
      startMayHaveReachedServer({
        name: 'ServiceError',
        message: '4 DEADLINE_EXCEEDED: Deadline exceeded',
        cause: { code: 4 },
      }),
    ).toBe(true);
    expect(startMayHaveReachedServer({ code: 4, message: 'x' })).toBe(true);
    expect(
      startMayHaveReachedServer({
        name: 'ServiceError',
        message: '14 UNAVAILABLE: No connection established',
        cause: { code: 14 },
      }),
    ).toBe(false);
    expect(startMayHaveReachedServer(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(false);
    expect(startMayHaveReachedServer(null)).toBe(false);
  });
});
