import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AppError, conflict, tooManyRequests } from '../http/app-error';

/** The first ApplicationFailure type in a failure's cause chain (update → activity → application). */
function failureOf(err: unknown): ApplicationFailure | undefined {
  for (let e = err as { cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e instanceof ApplicationFailure && e.type) return e;
  }
  return undefined;
}

const detail = (f: ApplicationFailure) => (f.details?.[0] ?? {}) as { remainingAttempts?: number; retryAfterSeconds?: number };

/**
 * Onboarding updates answer with domain failures; each becomes a precise client error. Anything
 * else (Temporal down, a bug) is rethrown for the central error handler.
 */
export function onboardingFailure(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError) {
    return conflict('ONBOARDING_CLOSED', 'This onboarding is no longer open: register again or sign in');
  }
  if (!(err instanceof WorkflowUpdateFailedError)) return err;
  const f = failureOf(err);
  switch (f?.type) {
    case 'EMAIL_TAKEN':
      return conflict('EMAIL_TAKEN', 'This email is already registered');
    case 'ORG_NOT_FOUND':
      return new AppError(404, 'ORG_NOT_FOUND', 'Organization not found');
    case 'INVALID_CODE':
      return new AppError(400, 'INVALID_CODE', 'The code is not correct', { remainingAttempts: detail(f).remainingAttempts ?? null });
    case 'CODE_EXPIRED':
      return new AppError(400, 'CODE_EXPIRED', 'The code has expired: request a new one with /users/confirm/resend');
    case 'TOO_MANY_ATTEMPTS':
      return tooManyRequests(60, 'TOO_MANY_ATTEMPTS', 'Too many wrong codes: request a new one with /users/confirm/resend');
    case 'RESEND_LIMIT':
      return tooManyRequests(detail(f).retryAfterSeconds ?? 3600, 'RESEND_LIMIT', f.message);
    case 'ALREADY_CONFIRMED':
      return conflict('ALREADY_CONFIRMED', 'The email is already confirmed: sign in');
    case 'WRONG_STEP':
      return conflict('WRONG_ONBOARDING_STEP', f.message);
    case 'PermanentProviderError':
      return new AppError(502, 'PROVIDER_ERROR', 'The identity provider refused the request');
    default:
      return new AppError(503, 'PROVIDER_UNAVAILABLE', 'The identity provider is unavailable, try again shortly');
  }
}
