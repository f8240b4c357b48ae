import { grpcStatus, grpcStatusOf } from './grpc-status';

/**
 * Whether a failed workflow start (or signal-with-start) may still have reached the server: a
 * deadline that ran out (gRPC DEADLINE_EXCEEDED) leaves the outcome unknown, so what the workflow
 * would read must stay. Any other failure (the server out of reach: UNAVAILABLE, a refused
 * connection) means nothing started, and what was written for it can be undone. Classified by the
 * gRPC status code the error carries (grpc-status.ts), not by its message.
 */
export function startMayHaveReachedServer(err: unknown): boolean {
  return grpcStatusOf(err) === grpcStatus.DEADLINE_EXCEEDED;
}
