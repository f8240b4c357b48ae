// Bridge KYC as a pure reducer: the onboarding workflow and the per-user account workflow both feed
// Bridge webhooks through it, so one set of events gives one state whatever order they arrive in.

/** Bridge's KYC state of one user, with the provider time of the newest news applied per field. */
export interface BridgeKycState {
  kycStatus: string | null;
  tosStatus: string | null;
  rejectionReasons: string[];
  /** Bridge's `event_created_at` (ms) of the event that set `kycStatus` / `tosStatus`; 0 = never set. */
  kycAt: number;
  tosAt: number;
}

/** One Bridge webhook, normalised (a field is null when the event does not speak about it). */
export interface BridgeEvent {
  createdAtMs: number;
  kycStatus: string | null;
  tosStatus: string | null;
  rejectionReasons: string[];
}

/** Bridge statuses that end the customer relationship: the user must not stay (or become) active. */
export const BRIDGE_REJECTED_STATUSES: readonly string[] = ['rejected', 'offboarded'];

export const emptyBridgeState = (): BridgeKycState => ({
  kycStatus: null,
  tosStatus: null,
  rejectionReasons: [],
  kycAt: 0,
  tosAt: 0,
});

/**
 * Newer provider news wins per field, by Bridge's own event time, never by arrival order: an old
 * event delivered late changes nothing. Equal times apply (a redelivery of the same event is a no-op).
 */
export function reduceBridgeEvent(state: BridgeKycState, ev: BridgeEvent): { state: BridgeKycState; changed: boolean } {
  const next = { ...state };
  if (ev.kycStatus !== null && ev.createdAtMs >= state.kycAt) {
    next.kycStatus = ev.kycStatus;
    next.kycAt = ev.createdAtMs;
    next.rejectionReasons = [...ev.rejectionReasons];
  }
  if (ev.tosStatus !== null && ev.createdAtMs >= state.tosAt) {
    next.tosStatus = ev.tosStatus;
    next.tosAt = ev.createdAtMs;
  }
  const changed =
    next.kycStatus !== state.kycStatus ||
    next.tosStatus !== state.tosStatus ||
    next.kycAt !== state.kycAt ||
    next.tosAt !== state.tosAt ||
    next.rejectionReasons.join('\n') !== state.rejectionReasons.join('\n');
  return { state: next, changed };
}

/** What Bridge's newest state says about the user: approved (KYC and terms), rejected, or still open. */
export type BridgeVerdict = 'approved' | 'rejected' | 'open';

export function bridgeVerdict(state: BridgeKycState): BridgeVerdict {
  if (BRIDGE_REJECTED_STATUSES.includes(state.kycStatus ?? '')) return 'rejected';
  if (state.kycStatus === 'approved' && state.tosStatus === 'approved') return 'approved';
  return 'open';
}

/** The user's standing as the account writer knows it when a Bridge event arrives after onboarding. */
export interface AccountStanding {
  status: string;
  /** The user's current `rejected` was caused by Bridge (not by an admin, not by Veriff). */
  rejectedByBridge: boolean;
}

/**
 * The status a Bridge state asks for once onboarding is over (null: leave the status alone).
 * - rejected/offboarded newest → `rejected`, whatever the status (an offboarded customer must not stay active).
 * - approved KYC + terms newest after a rejection Bridge itself caused → `active` again (Bridge changed
 *   its mind). A rejection by an admin or by Veriff is never undone by Bridge.
 * - anything else (under review, terms pending…) leaves the status where it is.
 * Because the state is newest-wins per field, every delivery order of a set ends on the same verdict,
 * hence the same final status.
 */
export function bridgeStatusAfterOnboarding(
  state: BridgeKycState,
  standing: AccountStanding,
): 'rejected' | 'active' | null {
  const verdict = bridgeVerdict(state);
  if (verdict === 'rejected') return standing.status === 'rejected' ? null : 'rejected';
  if (verdict === 'approved' && standing.status === 'rejected' && standing.rejectedByBridge) return 'active';
  return null;
}
