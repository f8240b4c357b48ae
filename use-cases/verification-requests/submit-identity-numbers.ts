import type { Client } from '@temporalio/client';

import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import type { Models } from '../../adapters/models';
import type { VerificationRequestDoc } from '../../adapters/models/verification-request';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import {
  IDENTITY_NUMBER_TYPES,
  type IdentityNumberType,
  type SealedNumbers,
  submitNumbersUpdate,
  verificationRequestWorkflowId,
  type VerificationStatus,
} from '../../domain/contracts/verification-request.contract';
import { badRequest, conflict, notFound } from '../app-error';
import { isClosed } from './verification-request-state';

export interface SubmitIdentityNumbersDeps {
  models: Pick<Models, 'VerificationRequest'>;
  temporal: Client;
  cipher: FieldCipher;
}

/**
 * A user answers their own verification request with the numbers it asked for, no more and no fewer.
 * The numbers are sealed here, before they are stored or enter the workflow; only the last 3 digits
 * stay readable. Rejections the workflow makes (closed, in progress, limit) come back as its failures.
 */
export async function submitIdentityNumbers(
  deps: SubmitIdentityNumbersDeps,
  userId: string,
  submission: { requestId: string } & Partial<Record<IdentityNumberType, string>>,
): Promise<{ requestId: string; status: VerificationStatus; attempt: number }> {
  const doc = await deps.models.VerificationRequest.findOne({
    _id: submission.requestId,
    userId,
  }).lean<VerificationRequestDoc>();
  if (!doc) throw notFound('Verification request');
  const given = IDENTITY_NUMBER_TYPES.filter((t) => submission[t] !== undefined);
  const missing = doc.types.filter((t) => !given.includes(t as never));
  const unexpected = given.filter((t) => !doc.types.includes(t));
  if (missing.length)
    throw badRequest('MISSING_IDENTITY_NUMBER', 'This request needs every number it asked for', { missing });
  if (unexpected.length)
    throw badRequest('UNEXPECTED_IDENTITY_NUMBER', 'This request did not ask for these numbers', { unexpected });
  if (isClosed(doc)) throw conflict('VERIFICATION_REQUEST_CLOSED', 'This verification request is closed');
  if (doc.status === 'submitted' || doc.status === 'verifying') {
    throw conflict('VERIFICATION_IN_PROGRESS', 'A submission for this request is being verified');
  }
  const sealed: SealedNumbers = {};
  for (const t of given)
    sealed[t] = { sealed: deps.cipher.encrypt(submission[t]!, doc._id), last3: submission[t]!.slice(-3) };
  const handle = deps.temporal.workflow.getHandle(verificationRequestWorkflowId(doc._id));
  const ack = await executeUpdateSurvivingTaskFailures(handle, submitNumbersUpdate, sealed);
  return { requestId: doc._id, status: ack.status, attempt: ack.attempt };
}
