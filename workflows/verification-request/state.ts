import type {
  CancelRequest,
  SealedNumbers,
  VerificationRequestInput,
  VerificationStatus,
} from '../../domain/contracts/verification-request.contract';

/** What one verification-request run knows; its handlers and its main loop share this one object. */
export interface RequestState {
  status: VerificationStatus;
  /** Transition sequence number (the record's idempotency key per transition). */
  seq: number;
  attempts: number;
  /** The attempt up to which submissions were taken in (an update waits for its own). */
  acknowledged: number;
  remindersSent: number;
  maxSubmissions: number;
  closed: boolean;
  /** Set by the cancel signal; acted on at the loop's next wake. */
  cancel: CancelRequest | null;
  /** Submissions (the user's, or a staff retry's) waiting for the loop. */
  pending: SealedNumbers[];
  /** Staff case actions (docs/operations.md): a retry re-submits the last numbers. */
  lastNumbers: SealedNumbers | null;
  retryActor: string | null;
  /** A staff extension moved the due date: the loop waits again with the new one. */
  dueChanged: boolean;
  dueAt: Date;
  dueAtText: string;
}

export function initialState(input: VerificationRequestInput): RequestState {
  return {
    status: 'created',
    seq: 0,
    attempts: 0,
    acknowledged: 0,
    remindersSent: 0,
    maxSubmissions: Infinity,
    closed: false,
    cancel: null,
    pending: [],
    lastNumbers: null,
    retryActor: null,
    dueChanged: false,
    dueAt: new Date(input.dueAt),
    dueAtText: input.dueAt,
  };
}
