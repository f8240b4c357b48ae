import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { Models } from '../../adapters/models';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { updateUser } from '../../adapters/models/user-writes';
import { type AccountStanding, type BridgeKycState, emptyBridgeState } from '../../domain/rules/onboarding/bridge';
import type { KycLevel, UserStatus } from '../../domain/vocabulary/users';

/** Who asked for a transition: admins always cut tokens off; `bridge` marks a rejection Bridge may undo. */
export type TransitionCause = 'admin' | 'onboarding' | 'bridge';

export interface StatusTransition {
  userId: string;
  /** The audit event's `_id`, derived from workflow id + run + a per-run key: a retry writes once. */
  transitionId: string;
  /** null: only the KYC state changes (no status change, no audit event). */
  to: UserStatus | null;
  cause: TransitionCause;
  actor: string;
  reason?: string | null;
  requestId?: string | null;
  kycLevel?: KycLevel;
  /** Bridge's KYC state (with the event times applied), written together with the status. */
  bridge?: BridgeKycState;
  /**
   * The onboarding's own write of Bridge's state (its last event folded into the activation): sets the
   * `termsAcceptedAt` funnel milestone as `recordKycState` would, the first time ToS is approved.
   */
  bridgeMilestones?: boolean;
}

export interface TransitionResult {
  from: UserStatus;
  to: UserStatus;
  changed: boolean;
}

type TransitionModels = Pick<Models, 'User' | 'DocumentLock' | 'AuditEvent' | 'AnalyticsOutbox'>;

const statusOf = (v: unknown): UserStatus =>
  (typeof v === 'string' ? v : (v as { status: UserStatus } | null)?.status) as UserStatus;

/**
 * One status transition as an idempotent sequence: (1) the audit event, inserted under its
 * deterministic id (the atomic primitive of the embedded database), then (2) one update of the user
 * carrying status, KYC state, tokenVersion and the id of the transition it applied. A retry after
 * (1) finds the audit event and reuses its `from`; a retry after (2) finds `lastTransitionId` and
 * stops, so the tokens are revoked once. Only the workflow owning the user calls this (onboarding
 * while it runs, the account workflow otherwise), one transition at a time: no read-modify-write race.
 */
export async function applyStatusTransition(
  models: TransitionModels,
  t: StatusTransition,
): Promise<TransitionResult | null> {
  const user = await models.User.findById(t.userId, {
    status: 1,
    tenantId: 1,
    kycLevel: 1,
    activatedAt: 1,
    lastTransitionId: 1,
    lastTransitionAt: 1,
    termsAcceptedAt: 1,
  }).lean();
  if (!user) return null;
  const current = user.status as UserStatus;
  const prior = await models.AuditEvent.findById(t.transitionId, { from: 1, to: 1 }).lean();
  if (user.lastTransitionId === t.transitionId)
    return { from: prior ? statusOf(prior.from) : current, to: current, changed: true };

  const bridgeSet: Record<string, unknown> = t.bridge ? bridgeFields(t.bridge) : {};
  if (t.bridgeMilestones && t.bridge?.tosStatus === 'approved' && !user.termsAcceptedAt)
    bridgeSet.termsAcceptedAt = new Date();
  if (!prior && (t.to === null || t.to === current)) {
    // No status change: the KYC state alone (the Bridge times must still be remembered).
    const set = { ...bridgeSet, ...(t.kycLevel ? { kycLevel: t.kycLevel } : {}) };
    if (Object.keys(set).length > 0) {
      await updateUser(models, t.userId, { $set: set });
      await noteAnalyticsChange(models, 'user', t.userId);
    }
    return { from: current, to: current, changed: false };
  }

  const to = t.to ?? current;
  const from = prior ? statusOf(prior.from) : current;
  // Strictly increasing per user, so the audit trail sorts in the order the writer applied it.
  const lastAt = user.lastTransitionAt ? new Date(user.lastTransitionAt).getTime() : 0;
  const at = new Date(Math.max(Date.now(), lastAt + 1));
  if (!prior) {
    const kycLevel = user.kycLevel as KycLevel;
    const admin = t.cause === 'admin';
    try {
      await models.AuditEvent.create({
        _id: t.transitionId,
        at,
        actor: t.actor,
        subject: t.userId,
        tenantId: user.tenantId ?? null,
        action: 'user.status_changed',
        // Admin changes keep the shape the admin endpoint always wrote; workflow changes carry the KYC level.
        from: admin ? from : { status: from, kycLevel },
        to: admin ? to : { status: to, kycLevel: t.kycLevel ?? kycLevel },
        reason: t.reason ?? null,
        requestId: t.requestId ?? null,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  // Losing access cuts existing tokens off; an admin's change always does (as the endpoint always did).
  const revoke = t.cause === 'admin' || ((to === 'rejected' || to === 'inactive') && from !== to);
  await updateUser(models, t.userId, {
    $set: {
      ...bridgeSet,
      status: to,
      statusBeforeDeactivation: to === 'inactive' ? from : null,
      'kyc.bridge.rejectedUser': t.cause === 'bridge' && to === 'rejected',
      lastTransitionId: t.transitionId,
      lastTransitionAt: at,
      ...(t.kycLevel ? { kycLevel: t.kycLevel } : {}),
      ...(to === 'active' && !user.activatedAt ? { activatedAt: at } : {}),
    },
    ...(revoke ? { $inc: { tokenVersion: 1 } } : {}),
  });
  await noteAnalyticsChange(models, 'user', t.userId);
  return { from, to, changed: true };
}

function bridgeFields(b: BridgeKycState): Record<string, unknown> {
  return {
    'kyc.bridge.kycStatus': b.kycStatus,
    'kyc.bridge.tosStatus': b.tosStatus,
    'kyc.bridge.rejectionReasons': b.rejectionReasons,
    'kyc.bridge.kycAt': b.kycAt,
    'kyc.bridge.tosAt': b.tosAt,
  };
}

/** What the account workflow needs to apply a Bridge event: the status and Bridge's state with its times. */
export async function readAccountStanding(
  models: Pick<Models, 'User'>,
  userId: string,
): Promise<(AccountStanding & { bridge: BridgeKycState }) | null> {
  const user = await models.User.findById(userId, { status: 1, kyc: 1 }).lean();
  if (!user) return null;
  const b = ((user.kyc ?? {}) as { bridge?: Partial<BridgeKycState> & { rejectedUser?: boolean } }).bridge ?? {};
  const empty = emptyBridgeState();
  return {
    status: user.status,
    rejectedByBridge: b.rejectedUser === true,
    bridge: {
      kycStatus: b.kycStatus ?? empty.kycStatus,
      tosStatus: b.tosStatus ?? empty.tosStatus,
      rejectionReasons: Array.isArray(b.rejectionReasons) ? b.rejectionReasons.map(String) : [],
      // Users recorded before event times were kept: any event counts as newer.
      kycAt: typeof b.kycAt === 'number' ? b.kycAt : 0,
      tosAt: typeof b.tosAt === 'number' ? b.tosAt : 0,
    },
  };
}
