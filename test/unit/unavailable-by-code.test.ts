import { status } from '@grpc/grpc-js';

import { startMayHaveReachedServer } from '../../adapters/temporal/start-failure';
import { mapError } from '../../services/api/http/error-handler';

// Third-party failures are classified by the codes they carry (gRPC status, driver error class,
// server error code), never by their message text: a reworded message changes nothing, and a
// message that merely mentions "UNAVAILABLE" or "14" is not an outage.
const named = (name: string, message: string, extra: object = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('dependency failures classified by code', () => {
  it('answers 503 for a Temporal ServiceError whose gRPC cause is UNAVAILABLE or DEADLINE_EXCEEDED, whatever its message', () => {
    for (const code of [status.UNAVAILABLE, status.DEADLINE_EXCEEDED]) {
      expect(mapError(named('ServiceError', 'something went wrong', { cause: { code } }))).toMatchObject({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
      });
      // Wrapped a level deeper (e.g. "Failed to connect to Temporal server" around the call's error).
      expect(
        mapError(named('ServiceError', 'x', { cause: named('ServiceError', 'y', { cause: { code } }) })),
      ).toMatchObject({ status: 503 });
    }
  });

  it('does not answer 503 for a ServiceError whose message only mentions UNAVAILABLE or 14', () => {
    const err = named('ServiceError', '14 UNAVAILABLE: (quoted from a workflow id) Failed to connect', {
      cause: { code: status.INVALID_ARGUMENT },
    });
    expect(mapError(err, 'r1')).toMatchObject({ status: 500, code: 'INTERNAL' });
  });

  it('answers 503 for database errors by driver class and server code, not message', () => {
    expect(mapError(named('MongoServerError', 'anything', { code: 91 }))).toMatchObject({ status: 503 }); // ShutdownInProgress
    expect(mapError(named('MongoNotConnectedError', 'anything'))).toMatchObject({ status: 503 });
    expect(mapError(named('MongoServerError', 'buffering timed out', { code: 2 }), 'r2')).toMatchObject({
      status: 500,
    }); // BadValue
    expect(mapError(named('ValidationError', 'buffering timed out'), 'r3')).toMatchObject({ status: 500 });
  });

  it('a start may have reached the server only on DEADLINE_EXCEEDED, by code', () => {
    expect(
      startMayHaveReachedServer(
        named('ServiceError', 'no words about deadlines', { cause: { code: status.DEADLINE_EXCEEDED } }),
      ),
    ).toBe(true);
    expect(
      startMayHaveReachedServer(
        named('ServiceError', '4 DEADLINE_EXCEEDED in the text only', { cause: { code: status.UNAVAILABLE } }),
      ),
    ).toBe(false);
  });
});
