import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

import type {
  BridgeEventSignal,
  OnboardingInput,
  OnboardingOutcome,
  OnboardingState,
  OnboardingStep,
  VeriffEventSignal,
} from '../../domain/contracts/onboarding.contract';
import type { BridgeKycState } from '../../domain/rules/onboarding/bridge';
import { SA } from '../../domain/search-attributes';
import type { StepTimer } from './step-timer';

export const iso = (ms: number) => new Date(ms).toISOString();

/** An admin's change that ends the onboarding (PUT /users/{id}/status, applied by this run). */
export interface AdminClose {
  status: string;
  reason: string | null;
}

/**
 * Everything one onboarding run knows, shared by its step modules. `s` is what the state query
 * answers; the rest is bookkeeping the query never shows (queues, step entries, search attributes).
 */
export interface Run {
  readonly userId: string;
  readonly input: OnboardingInput;
  readonly s: OnboardingState;
  /** `<workflowId>.<runId>.<key>`: notification and audit ids, so retries and replays act once. */
  key(step: string): string;
  readonly veriffQueue: VeriffEventSignal[];
  readonly bridgeQueue: BridgeEventSignal[];
  /** Provider event ids already applied (Veriff event keys and Bridge event ids). */
  readonly seenEvents: Set<string>;
  /** Set by the admin update when its change ends the onboarding; every wait and write checks it. */
  adminClose: AdminClose | null;
  /** Set by an operator's abandonOnboarding update: every wait ends as if its deadline had passed. */
  abandonedBy: { actor: string; reason: string } | null;
  /** Reminders an operator asked for (sendStepReminderNow): each has its own notification id. */
  operatorReminders: number;
  /** Each entry into a step counts: deadlines run from the entry, a reminder goes out once per entry. */
  stepEntry: number;
  stepEnteredAtMs: number;
  /** An operator's extensions of the current wait's end (extendStepDeadline); a step change clears them. */
  extensionMs: number;
  /** Counts extensions, so a wait wakes and re-arms its timer when one arrives. */
  extensions: number;
  remindedEntry: number;
  /** The step wait's one timer (./step-timer.ts), kept across the waits of a step. */
  stepTimer: StepTimer | null;
  /** Bridge's state after the approving event, not yet written: the activation writes it (./end.ts). */
  heldBridgeState: BridgeKycState | null;
  /** The KycStatus last upserted, and a decision's KycStatus held for the step it leads to. */
  shownKycStatus: string | null;
  heldKycStatus: string | null;
}

export function startRun(input: OnboardingInput): Run {
  const { workflowId, runId } = workflowInfo();
  const { policy, userId } = input;
  const startedAt = Date.now();
  return {
    userId,
    input,
    key: (step) => `${workflowId}.${runId}.${step}`,
    s: {
      userId,
      tenantId: null,
      step: 'registering',
      outcome: null,
      email: {
        confirmedAt: null,
        codeExpiresAt: null,
        attemptsLeft: policy.codeMaxAttempts,
        resendsLeft: policy.codeMaxResends,
      },
      veriff: { sessionId: null, url: null, status: null, resubmissions: 0, reason: null, updatedAt: null },
      bridge: {
        required: null,
        kycLinkId: null,
        customerId: null,
        kycStatus: null,
        tosStatus: null,
        rejectionReasons: [],
        updatedAt: null,
      },
      kycLevel: 'none',
      rejectionReason: null,
      // Reminder and abandonment count from the registration itself.
      timestamps: {
        registeredAt: iso(startedAt),
        confirmedAt: null,
        kycApprovedAt: null,
        activatedAt: null,
        closedAt: null,
      },
      nextReminderAt: null,
    },
    veriffQueue: [],
    bridgeQueue: [],
    seenEvents: new Set(),
    adminClose: null,
    abandonedBy: null,
    operatorReminders: 0,
    stepEntry: 0,
    stepEnteredAtMs: startedAt,
    extensionMs: 0,
    extensions: 0,
    remindedEntry: -1,
    stepTimer: null,
    heldBridgeState: null,
    shownKycStatus: null,
    heldKycStatus: null,
  };
}

/**
 * Enters `step`: one search-attribute upsert carrying the step, when it was entered (operators ask
 * "in this step for 3 days") and the KYC status only if it changed (`alsoUpsert`: the tenant, with
 * the first step). Each upsert is a visibility write on the server, so a step costs one.
 */
export function setStep(
  run: Run,
  step: OnboardingStep,
  kycStatus?: string,
  alsoUpsert: SearchAttributeUpdatePair[] = [],
) {
  run.s.step = step;
  run.stepEntry += 1;
  run.stepEnteredAtMs = Date.now();
  run.extensionMs = 0;
  const kyc = kycStatus ?? run.heldKycStatus;
  run.heldKycStatus = null;
  const kycChanged = kyc !== null && kyc !== run.shownKycStatus;
  if (kyc !== null) run.shownKycStatus = kyc;
  upsertSearchAttributes([
    { key: SA.OnboardingStep, value: step },
    { key: SA.StepEnteredAt, value: new Date() },
    ...(kycChanged ? [{ key: SA.KycStatus, value: kyc }] : []),
    ...alsoUpsert,
  ]);
}

/** KYC news within a step: upserted only when it changes what operators see. */
export function showKycStatus(run: Run, kycStatus: string) {
  if (kycStatus === run.shownKycStatus) return;
  run.shownKycStatus = kycStatus;
  upsertSearchAttributes([{ key: SA.KycStatus, value: kycStatus }]);
}

/** A decision always leads to a step change: its KycStatus rides on that step's upsert. */
export function holdKycStatus(run: Run, kycStatus: string) {
  run.heldKycStatus = kycStatus;
}

/**
 * How a run the admin closed ends: an admin activation completes it, anything else closes it; an
 * operator's abandon (no admin change) ends it abandoned, as its deadline would have.
 */
export const closedOutcome = (run: Run): OnboardingOutcome =>
  run.adminClose?.status === 'active' ? 'active' : !run.adminClose && run.abandonedBy ? 'abandoned' : 'closed_by_admin';

/** A wait ends early: an admin closed the onboarding, or an operator abandoned it. */
export const closing = (run: Run) => run.adminClose !== null || run.abandonedBy !== null;
