import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

import { failureOf } from '../../../adapters/temporal/failure-of';
import { onboardingWorkflowId } from '../../../domain/contracts/onboarding.contract';
import { verificationRequestWorkflowId } from '../../../domain/contracts/verification-request.contract';
import { FAILURE_CATALOGS, type FailureType } from '../../../domain/failures/catalog';
import { AppError } from './app-error';

export { failureOf };

interface HttpAnswer {
  status: number;
  code: string;
  /** Defaults to the failure's own message (written for people at the throw site). */
  message?: string;
  details?: (f: ApplicationFailure) => unknown;
  /** Seconds for Retry-After (429 answers). */
  retryAfter?: (f: ApplicationFailure) => number;
}

const detail = <T>(f: ApplicationFailure) => (f.details?.[0] ?? {}) as Partial<T>;

/**
 * THE table from failure types (domain/failures) to HTTP answers, used by every route through the
 * error handler. Typed as a Record over every catalog type, so a new failure type does not compile
 * until it has an answer here.
 */
export const FAILURE_HTTP: Record<FailureType, HttpAnswer> = {
  // onboarding updates
  EMAIL_TAKEN: { status: 409, code: 'EMAIL_TAKEN', message: 'This email is already registered' },
  ACCOUNT_REJECTED: {
    status: 409,
    code: 'ACCOUNT_REJECTED',
    message:
      'This account was not verified and cannot be registered again; contact support to have the decision reviewed',
  },
  ORG_NOT_FOUND: { status: 404, code: 'ORG_NOT_FOUND', message: 'Organization not found' },
  INVALID_CODE: {
    status: 400,
    code: 'INVALID_CODE',
    message: 'The code is not correct',
    details: (f) => ({ remainingAttempts: detail<{ remainingAttempts: number | null }>(f).remainingAttempts ?? null }),
  },
  CODE_EXPIRED: {
    status: 400,
    code: 'CODE_EXPIRED',
    message: 'The code has expired: request a new one with /users/confirm/resend',
  },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    code: 'TOO_MANY_ATTEMPTS',
    message: 'Too many wrong codes: request a new one with /users/confirm/resend',
    retryAfter: () => 60,
  },
  RESEND_LIMIT: {
    status: 429,
    code: 'RESEND_LIMIT',
    retryAfter: (f) => detail<{ retryAfterSeconds: number | null }>(f).retryAfterSeconds ?? 3600,
  },
  ALREADY_CONFIRMED: { status: 409, code: 'ALREADY_CONFIRMED', message: 'The email is already confirmed: sign in' },
  WRONG_STEP: { status: 409, code: 'WRONG_ONBOARDING_STEP' },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    code: 'IDEMPOTENCY_KEY_REQUIRED',
    message: 'An Idempotency-Key header is required',
  },
  // verification-request submit update
  VERIFICATION_REQUEST_CLOSED: {
    status: 409,
    code: 'VERIFICATION_REQUEST_CLOSED',
    message: 'This verification request is closed',
  },
  VERIFICATION_IN_PROGRESS: {
    status: 409,
    code: 'VERIFICATION_IN_PROGRESS',
    message: 'A submission for this request is being verified',
  },
  RESUBMISSION_LIMIT_REACHED: {
    status: 409,
    code: 'RESUBMISSION_LIMIT_REACHED',
    message: 'No submissions are left for this request',
  },
  NOTHING_TO_RETRY: { status: 409, code: 'NOTHING_TO_RETRY', message: 'The request has no failed lookup to retry' },
  INVALID_DUE_DATE: {
    status: 400,
    code: 'INVALID_DUE_DATE',
    message: 'The new due date must be later than the current one',
  },
  // transaction-hold decideHold update (a case's approve / reject): the hold settled since the case
  // was read (tier passed, deadline, another decision), so the case moved on
  HOLD_SETTLED: { status: 409, code: 'CASE_MOVED_ON' },
  // activity failures that reach a caller through an update
  NOT_FOUND: { status: 404, code: 'NOT_FOUND', message: 'Resource not found' },
  VALIDATION_ERROR: { status: 422, code: 'UNPROCESSABLE', message: 'The request could not be processed as given' },
  PERMANENT_PROVIDER_ERROR: { status: 502, code: 'PROVIDER_ERROR', message: 'The provider refused the request' },
  PROVIDER_UNAVAILABLE: {
    status: 503,
    code: 'PROVIDER_UNAVAILABLE',
    message: 'The provider is unavailable, try again shortly',
  },
  AWAITING_CONFIRMATION: {
    status: 503,
    code: 'PROVIDER_UNAVAILABLE',
    message: 'The provider is unavailable, try again shortly',
  },
  CONCURRENT_ATTEMPT: {
    status: 503,
    code: 'PROVIDER_UNAVAILABLE',
    message: 'The provider is unavailable, try again shortly',
  },
  DOCUMENT_JOB_PENDING: {
    status: 503,
    code: 'PROVIDER_UNAVAILABLE',
    message: 'The provider is unavailable, try again shortly',
  },
};

/** A workflow that no longer runs, by its id: the caller asked something of a closed process. */
const CLOSED_WORKFLOWS: { prefix: string; answer: HttpAnswer }[] = [
  {
    prefix: onboardingWorkflowId(''),
    answer: {
      status: 409,
      code: 'ONBOARDING_CLOSED',
      message: 'This onboarding is no longer open: register again or sign in',
    },
  },
  {
    prefix: verificationRequestWorkflowId(''),
    answer: { status: 409, code: 'VERIFICATION_REQUEST_CLOSED', message: 'This verification request is closed' },
  },
];

const isTemporalFailure = (err: unknown) =>
  err instanceof Error && (failureOf(err) !== undefined || /Workflow(Update)?Failed/.test(err.name));

function answer(a: HttpAnswer, f: ApplicationFailure | undefined): AppError {
  const retryAfter = f && a.retryAfter?.(f);
  const details = retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : f && a.details?.(f);
  const headers = retryAfter !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))) } : undefined;
  return new AppError(a.status, a.code, a.message ?? f?.message ?? a.code, details, headers);
}

/**
 * A Temporal error as the HTTP answer the table gives it; `undefined` when `err` is no workflow
 * failure at all. A workflow failure whose type is not in the table is a bug: 500 INTERNAL (the
 * error handler adds the request id), never disguised as a provider outage.
 */
export function httpFailure(err: unknown): AppError | 'internal' | undefined {
  if (err instanceof WorkflowNotFoundError) {
    const closed = CLOSED_WORKFLOWS.find((c) => err.workflowId?.startsWith(c.prefix));
    return closed ? answer(closed.answer, undefined) : undefined;
  }
  if (!isTemporalFailure(err)) return undefined;
  const f = failureOf(err);
  const a = f && FAILURE_HTTP[f.type as FailureType];
  return a ? answer(a, f) : 'internal';
}

/** Every type any catalog declares, once (a type two catalogs share, like VALIDATION_ERROR, has one answer). */
export const catalogTypes = (): string[] => [...new Set(FAILURE_CATALOGS.flatMap((c) => Object.keys(c.kinds)))];
