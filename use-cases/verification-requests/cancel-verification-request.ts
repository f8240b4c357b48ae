import type { Client } from '@temporalio/client';

import type { VerificationRequestDoc } from '../../adapters/models/verification-request';
import {
  cancelVerificationSignal,
  verificationRequestWorkflowId,
} from '../../domain/contracts/verification-request.contract';
import { conflict } from '../app-error';
import { isClosed } from './verification-request-state';

/**
 * Staff cancel an open request (the caller found it among those it may see): the workflow stops
 * reminding at once and records the cancellation. A workflow that already ended answers 409
 * VERIFICATION_REQUEST_CLOSED (the API's failure table).
 */
export async function cancelVerificationRequest(
  deps: { temporal: Client },
  doc: Pick<VerificationRequestDoc, '_id' | 'status' | 'canResubmit'>,
  by: { actor: string; reason?: string },
): Promise<void> {
  if (isClosed(doc)) throw conflict('VERIFICATION_REQUEST_CLOSED', 'This verification request is closed');
  await deps.temporal.workflow.getHandle(verificationRequestWorkflowId(doc._id)).signal(cancelVerificationSignal, by);
}
