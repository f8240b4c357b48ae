import type { UserActivities } from '../activities/users/create-user-activities';
import type { StatusChangeRequest, StatusChangeResult } from '../domain/contracts/account.contract';
import type { BridgeEventSignal } from '../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../domain/failures/catalog';
import {
  type AccountStanding,
  type BridgeKycState,
  bridgeStatusAfterOnboarding,
  reduceBridgeEvent,
} from '../domain/rules/onboarding/bridge';

/**
 * Runs `fn`s one at a time, in call order. A free lock runs `fn` synchronously (same activation,
 * same command order as a direct call), so wrapping an existing call does not change its history.
 */
export function createSerial() {
  let busy: Promise<void> | null = null;
  return async function serially<T>(fn: () => Promise<T>): Promise<T> {
    while (busy) await busy;
    let release!: () => void;
    busy = new Promise<void>((r) => (release = r));
    try {
      return await fn();
    } finally {
      busy = null;
      release();
    }
  };
}

type WriterActivities = Pick<UserActivities, 'transitionUserStatus' | 'readAccountStanding'>;

/**
 * The status writer used once onboarding is over (by the account workflow; inside an onboarding
 * run, by its one writer, workflows/onboarding/user-writer.ts, for admin changes and for Bridge news
 * that arrives while the run ends). It starts from the user's record (status and
 * Bridge state with the event times already applied) and keeps it current; callers serialize it.
 * `transitionId(key)` makes the audit ids deterministic (workflow id + run + key).
 */
export function createAccountWriter(users: WriterActivities, userId: string, transitionId: (key: string) => string) {
  let standing: (AccountStanding & { bridge: BridgeKycState }) | null = null;
  const seen = new Set<string>();
  let adminChanges = 0;

  const load = async () => (standing ??= await users.readAccountStanding({ userId }));

  return {
    /** A Bridge webhook: newest-wins state, and the status it asks for (domain/rules/onboarding/bridge.ts). */
    async applyBridgeEvent(ev: BridgeEventSignal): Promise<void> {
      if (seen.has(ev.eventId)) return;
      seen.add(ev.eventId);
      const st = await load();
      if (!st) return;
      const { state, changed } = reduceBridgeEvent(st.bridge, ev);
      const to = bridgeStatusAfterOnboarding(state, st);
      if (!changed && !to) return;
      const r = await users.transitionUserStatus({
        userId,
        transitionId: transitionId(`bridge.${ev.eventId}`),
        to,
        cause: 'bridge',
        actor: 'system:bridge',
        reason: to ? `Bridge KYC ${state.kycStatus}` : null,
        bridge: state,
        ...(to === 'active' ? { kycLevel: 'advanced' as const } : {}),
      });
      st.bridge = state;
      if (r?.changed) Object.assign(st, { status: r.to, rejectedByBridge: r.to === 'rejected' });
    },

    /** An admin's change (the audited endpoint's update). */
    async changeStatus(req: StatusChangeRequest): Promise<StatusChangeResult> {
      const r = await users.transitionUserStatus({
        userId,
        transitionId: transitionId(`admin.${++adminChanges}`),
        to: req.to,
        cause: 'admin',
        actor: req.actorId,
        reason: req.reason,
        requestId: req.requestId,
      });
      if (!r) throw ActivityFailures.create('NOT_FOUND', 'No such user');
      if (standing && r.changed) Object.assign(standing, { status: r.to, rejectedByBridge: false });
      return r;
    },
  };
}
