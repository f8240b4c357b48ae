// A Veriff event that arrives after the user's onboarding has ended (the account workflow takes
// it): what it may change. Veriff can decide late (a manual review finishing after our deadline, a
// re-review of an approved session), and such news must neither vanish nor act on its own.
import type { VeriffEventSignal } from '../contracts/onboarding.contract';

/** Kept on the user as `kyc.veriff.lateDecision` (the newest one) for operators. */
export interface LateVeriffDecision {
  sessionId: string;
  status: VeriffEventSignal['status'];
  code: number | null;
  reason: string | null;
  receivedAt: string;
  /** The decision disagrees with the user's status: a person must look at it. */
  needsReview: boolean;
}

export type LateVeriffOutcome = { record: false } | { record: true; lateDecision: LateVeriffDecision };

/** Decisions that say the person is not (or no longer) verified. */
const NOT_VERIFIED: ReadonlySet<string> = new Set(['declined', 'resubmission_requested', 'expired', 'abandoned']);

/**
 * - Progress news (`started`, `submitted`, `review`) about a finished onboarding: nothing to record
 *   (the inbox keeps the event).
 * - A decision is recorded, and never changes the user's status by itself: a late `approved` does
 *   not re-open or activate a rejected or deactivated account, a late `declined` (or resubmission,
 *   expiry) does not downgrade an active one. When it disagrees with the status (approved but not
 *   active, not verified but active) it is flagged `needsReview`: an admin decides, through the
 *   audited status endpoint.
 */
export function lateVeriffEvent(ev: VeriffEventSignal, standing: { status: string }, now: string): LateVeriffOutcome {
  if (ev.kind !== 'decision' || ev.status === 'review') return { record: false };
  const needsReview =
    ev.status === 'approved'
      ? standing.status !== 'active'
      : NOT_VERIFIED.has(ev.status) && standing.status === 'active';
  return {
    record: true,
    lateDecision: {
      sessionId: ev.sessionId,
      status: ev.status,
      code: ev.code,
      reason: ev.reason,
      receivedAt: now,
      needsReview,
    },
  };
}
