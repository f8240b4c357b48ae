import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure as TemporalActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';

import { DocumentBusyError } from '../../adapters/models/document-lock';
import {
  ActivityFailures,
  NON_RETRYABLE_FAILURE_TYPES,
  OnboardingFailures,
  TransactionHoldFailures,
} from '../../domain/failures/catalog';
import { mapError } from '../../services/api/http/error-handler';
import { catalogTypes, FAILURE_HTTP } from '../../services/api/http/failure-table';

const updateFailed = (cause: Error) => new WorkflowUpdateFailedError('Workflow Update failed', cause);

describe('failure catalog', () => {
  it('builds failures whose type, retryability and details come from the catalog', () => {
    const f = OnboardingFailures.create('INVALID_CODE', 'wrong', { remainingAttempts: 2 });
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.type).toBe('INVALID_CODE');
    expect(f.nonRetryable).toBe(true);
    expect(f.details).toEqual([{ remainingAttempts: 2 }]);
    expect(ActivityFailures.create('PROVIDER_UNAVAILABLE', 'down').nonRetryable).toBe(false);
  });

  it('derives the non-retryable list (no never-thrown types such as Conflict)', () => {
    expect(NON_RETRYABLE_FAILURE_TYPES.sort()).toEqual(['NOT_FOUND', 'PERMANENT_PROVIDER_ERROR', 'VALIDATION_ERROR']);
  });
});

describe('failure table (type → HTTP)', () => {
  it('answers every catalog type', () => {
    expect(Object.keys(FAILURE_HTTP).sort()).toEqual(catalogTypes().sort());
  });

  it('maps an update rejection by its cause.type, with typed details', () => {
    const m = mapError(updateFailed(OnboardingFailures.create('INVALID_CODE', 'wrong', { remainingAttempts: 3 })));
    expect(m).toMatchObject({ status: 400, code: 'INVALID_CODE', details: { remainingAttempts: 3 } });
    const r = mapError(
      updateFailed(OnboardingFailures.create('RESEND_LIMIT', 'moments ago', { retryAfterSeconds: 42 })),
    );
    expect(r).toMatchObject({ status: 429, code: 'RESEND_LIMIT', headers: { 'Retry-After': '42' } });
  });

  it('answers a settled hold (a case action on a transaction hold) as a case that moved on', () => {
    const m = mapError(updateFailed(TransactionHoldFailures.create('HOLD_SETTLED', 'The hold is already settled')));
    expect(m).toMatchObject({ status: 409, code: 'CASE_MOVED_ON', message: 'The hold is already settled' });
  });

  it('finds a provider failure under an activity failure', () => {
    const activity = new TemporalActivityFailure(
      'createVeriffSession',
      'a1',
      'createVeriffSession',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      ActivityFailures.create('PERMANENT_PROVIDER_ERROR', 'veriff answered 400', { provider: 'veriff', status: 400 }),
    );
    expect(mapError(updateFailed(activity))).toMatchObject({ status: 502, code: 'PROVIDER_ERROR' });
  });

  it('turns an unknown failure into 500 INTERNAL with the request id, not a provider outage', () => {
    const m = mapError(
      updateFailed(ApplicationFailure.create({ type: 'TypeError', message: 'x is undefined' })),
      'req-123',
    );
    expect(m).toEqual(expect.objectContaining({ status: 500, code: 'INTERNAL', details: { requestId: 'req-123' } }));
    expect(mapError(updateFailed(new Error('boom')), 'req-9')).toMatchObject({ status: 500, code: 'INTERNAL' });
  });

  it('answers a closed workflow by its kind', () => {
    expect(mapError(new WorkflowNotFoundError('gone', 'onboarding-u1', undefined))).toMatchObject({
      status: 409,
      code: 'ONBOARDING_CLOSED',
    });
    expect(mapError(new WorkflowNotFoundError('gone', 'verification-request-r1', undefined))).toMatchObject({
      status: 409,
      code: 'VERIFICATION_REQUEST_CLOSED',
    });
    expect(mapError(new WorkflowNotFoundError('gone', 'other-1', undefined))).toMatchObject({ status: 404 });
  });
});

describe('dependencies out of reach or overloaded', () => {
  const named = (name: string, message = '', cause?: object) => Object.assign(new Error(message), { name, cause });
  it.each([
    [
      'a Temporal update that timed out',
      named('WorkflowUpdateRPCTimeoutOrCancelledError', 'Timed out waiting for update response'),
    ],
    ['a gRPC deadline on the cause', named('ServiceError', 'Failed to query workflow', { code: 4 })],
    ['a database wait-queue timeout', named('MongoWaitQueueTimeoutError', 'Timed out while checking out a connection')],
    [
      'a mongoose buffering timeout',
      named('MongooseError', 'Operation `users.findOne()` buffering timed out after 10000ms'),
    ],
  ])('answers %s with 503 and Retry-After, not 500', (_what, err) => {
    expect(mapError(err, 'req-1')).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers a record whose write lock stayed taken with 503 RECORD_BUSY, retry soon', () => {
    expect(mapError(new DocumentBusyError('user:u1'), 'req-3')).toMatchObject({
      status: 503,
      code: 'RECORD_BUSY',
      headers: { 'Retry-After': '1' },
    });
  });

  it('still answers an unknown error with 500 INTERNAL', () => {
    expect(mapError(named('TypeError', 'x is undefined'), 'req-2')).toMatchObject({ status: 500, code: 'INTERNAL' });
  });
});
