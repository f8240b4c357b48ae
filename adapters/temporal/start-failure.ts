/**
 * Whether a failed workflow start (or signal-with-start) may still have reached the server: a
 * deadline that ran out (gRPC DEADLINE_EXCEEDED, code 4) leaves the outcome unknown, so what the
 * workflow would read must stay. Any other failure (the server out of reach: UNAVAILABLE, code 14,
 * a refused connection) means nothing started, and what was written for it can be undone.
 */
export function startMayHaveReachedServer(err: unknown): boolean {
  const e = err as { code?: number; message?: string; cause?: { code?: number; message?: string } } | null;
  if (!e) return false;
  if (e.code === 4 || e.cause?.code === 4) return true;
  return /DEADLINE_EXCEEDED|deadline exceeded/i.test(`${e.message ?? ''} ${e.cause?.message ?? ''}`);
}
