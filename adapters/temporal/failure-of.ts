import { ApplicationFailure } from '@temporalio/common';

/** The first typed ApplicationFailure in a failure's cause chain (update → activity → application). */
export function failureOf(err: unknown): ApplicationFailure | undefined {
  for (let e = err as { cause?: unknown } | undefined, i = 0; e && i < 6; e = e.cause as typeof e, i++) {
    if (e instanceof ApplicationFailure && e.type) return e;
  }
  return undefined;
}
