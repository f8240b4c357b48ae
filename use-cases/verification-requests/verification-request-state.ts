import type { VerificationRequestDoc } from '../../adapters/models/verification-request';
import { TERMINAL_STATUSES } from '../../domain/contracts/verification-request.contract';

/** Closed: ended, or failed with no resubmission left. Nothing more can be submitted or cancelled. */
export const isClosed = (doc: Pick<VerificationRequestDoc, 'status' | 'canResubmit'>) =>
  TERMINAL_STATUSES.includes(doc.status as never) || (doc.status === 'failed' && !doc.canResubmit);
