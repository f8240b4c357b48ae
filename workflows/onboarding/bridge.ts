import { patched, setHandler } from '@temporalio/workflow';

import type { KycActivities } from '../../activities/kyc/create-kyc-activities';
import {
  type BridgeEventSignal,
  bridgeEventSignal,
  type BridgeLinkResult,
  createBridgeLinkUpdate,
  type OnboardingOutcome,
} from '../../domain/contracts/onboarding.contract';
import { OnboardingFailures } from '../../domain/failures/catalog';
import { BRIDGE_REJECTED_STATUSES, type BridgeKycState, reduceBridgeEvent } from '../../domain/rules/onboarding/bridge';
import { endOfWait, reject } from './end';
import { iso, type Run, setStep, showKycStatus } from './state';
import type { UserWriter } from './user-writer';
import { waitInStep } from './waits';

const fail = OnboardingFailures.create;

/** The Bridge part: the KYC link on request (update), webhook events (signal) until KYC and ToS are approved. */
export function createBridgeStep(run: Run, writer: UserWriter, kyc: Pick<KycActivities, 'createBridgeKycLink'>) {
  const { s, userId } = run;
  const b = s.bridge;
  let creatingLink: Promise<BridgeLinkResult> | null = null;
  // Link URLs are handed back to the caller but kept out of the query (they are bearer links).
  const linkUrls = { kycLink: '', tosLink: '' };
  // Bridge's state with the provider time of each field (domain/rules/onboarding/bridge.ts).
  let bridgeKyc: BridgeKycState = { kycStatus: null, tosStatus: null, rejectionReasons: [], kycAt: 0, tosAt: 0 };

  setHandler(
    createBridgeLinkUpdate,
    async ({ idempotencyKey }) => {
      if (b.kycLinkId)
        return {
          kycLinkId: b.kycLinkId,
          kycLink: linkUrls.kycLink,
          tosLink: linkUrls.tosLink,
          customerId: b.customerId!,
        };
      creatingLink ??= (async () => {
        try {
          const link = await kyc.createBridgeKycLink({ userId, idempotencyKey });
          Object.assign(linkUrls, { kycLink: link.kycLink, tosLink: link.tosLink });
          const initial = { kycStatus: 'not_started', tosStatus: 'pending' };
          Object.assign(b, {
            kycLinkId: link.kycLinkId,
            customerId: link.customerId,
            ...initial,
            updatedAt: iso(Date.now()),
          });
          await writer.recordKycState('bridge', { kycLinkId: link.kycLinkId, customerId: link.customerId, ...initial });
          return link;
        } finally {
          creatingLink = null;
        }
      })();
      return creatingLink;
    },
    {
      validator: ({ idempotencyKey }) => {
        if (s.step !== 'awaiting_bridge_link' && s.step !== 'awaiting_bridge_approval') {
          throw fail('WRONG_STEP', `No Bridge link can be created at step ${s.step}`, { step: s.step });
        }
        if (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0) {
          throw fail('IDEMPOTENCY_KEY_REQUIRED', 'An idempotency key is required');
        }
      },
    },
  );
  setHandler(bridgeEventSignal, (ev) => {
    run.bridgeQueue.push(ev);
  });

  /** Newer provider news wins per field, so shuffled deliveries settle on the same state. */
  function applyBridgeEvent(ev: BridgeEventSignal) {
    // Seeded from the link's initial state, so an event without a field keeps what is shown.
    const shown = {
      ...bridgeKyc,
      kycStatus: b.kycStatus,
      tosStatus: b.tosStatus,
      rejectionReasons: b.rejectionReasons,
    };
    bridgeKyc = reduceBridgeEvent(shown, ev).state;
    Object.assign(b, {
      kycStatus: bridgeKyc.kycStatus,
      tosStatus: bridgeKyc.tosStatus,
      rejectionReasons: bridgeKyc.rejectionReasons,
    });
    b.updatedAt = iso(Date.now());
    showKycStatus(run, `bridge:${b.kycStatus}`);
  }

  /** The link, then KYC + ToS approval (unless switched off for this user): null once approved, else the run's end. */
  return async function awaitBridgeApproval(): Promise<OnboardingOutcome | null> {
    if (!b.required) return null;
    setStep(run, 'awaiting_bridge_link', 'bridge:none');
    const linked = await waitInStep(run, () => b.kycLinkId !== null);
    if (linked !== 'done') return endOfWait(run, linked);
    setStep(run, 'awaiting_bridge_approval', 'bridge:not_started');
    for (;;) {
      const waited = await waitInStep(run, () => run.bridgeQueue.length > 0);
      if (waited !== 'done') return endOfWait(run, waited);
      const ev = run.bridgeQueue.shift()!;
      if (run.seenEvents.has(ev.eventId)) continue;
      run.seenEvents.add(ev.eventId);
      applyBridgeEvent(ev);
      // The approving event's state rides on the activation's user write (one write, not two).
      if (b.kycStatus === 'approved' && b.tosStatus === 'approved' && patched('fold-bridge-write')) {
        run.heldBridgeState = { ...bridgeKyc };
        break;
      }
      // The event times go with the state, so the account workflow knows what is already applied.
      await writer.recordKycState('bridge', { ...bridgeKyc });
      if (BRIDGE_REJECTED_STATUSES.includes(b.kycStatus ?? ''))
        return reject(run, writer, `Bridge KYC ${b.kycStatus}`, 'bridge-rejected', 'bridge');
      if (b.kycStatus === 'approved' && b.tosStatus === 'approved') break;
    }
    s.kycLevel = 'advanced';
    return null;
  };
}
