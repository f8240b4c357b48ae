import { status } from '@grpc/grpc-js';

/**
 * The gRPC status code a Temporal client error carries: a raw gRPC error has it as `code`; the
 * client's ServiceError wraps one as its `cause` (possibly a level deeper). Classifying by this
 * code, not by message text, survives message rewording across SDK and server versions.
 * (@grpc/grpc-js is the transport of @temporalio/client, pinned by it.)
 */
export function grpcStatusOf(err: unknown): status | null {
  let e = err as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    if (typeof e.code === 'number' && e.code in status) return e.code as status;
    e = e.cause as typeof e;
  }
  return null;
}

/** Temporal out of reach (UNAVAILABLE) or too slow to answer (DEADLINE_EXCEEDED): retrying may succeed. */
export function isTemporalUnavailable(err: unknown): boolean {
  if ((err as { name?: string } | null)?.name !== 'ServiceError') return false;
  const code = grpcStatusOf(err);
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED;
}

export { status as grpcStatus };
