import { type Client, WorkflowNotFoundError } from '@temporalio/client';

import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import {
  type BridgeLinkResult,
  createBridgeLinkUpdate,
  createKycSessionUpdate,
  type KycSessionResult,
  type OnboardingState,
  onboardingStateQuery,
} from '../../domain/contracts/onboarding.contract';
import { notFound } from '../app-error';
import { onboardingHandle } from './own-registration';

// The onboarding's identity steps, asked of its workflow (which refuses a step out of turn with
// WRONG_ONBOARDING_STEP). The caller has checked that the onboarding is the user's own.

/** Starts (or resumes) the user's Veriff session. */
export async function startKycSession(deps: { temporal: Client }, userId: string): Promise<KycSessionResult> {
  return executeUpdateSurvivingTaskFailures(onboardingHandle(deps.temporal, userId), createKycSessionUpdate);
}

/**
 * The user's Bridge KYC and terms-of-service links: one per onboarding, so repeating the call returns
 * the same link. The provider's idempotency key is scoped to the user, so two users' keys never meet;
 * without a caller's key it names this onboarding run, so a later onboarding gets its own link.
 */
export async function createBridgeLink(
  deps: { temporal: Client },
  userId: string,
  callerKey: string | undefined,
): Promise<BridgeLinkResult> {
  const handle = onboardingHandle(deps.temporal, userId);
  const key = callerKey ?? `onboarding-run:${(await handle.describe()).runId}`;
  return executeUpdateSurvivingTaskFailures(handle, createBridgeLinkUpdate, { idempotencyKey: `${userId}:${key}` });
}

/** Where the onboarding stands, live from its workflow; 404 when there is none. */
export async function readOnboardingState(deps: { temporal: Client }, userId: string): Promise<OnboardingState> {
  try {
    return await onboardingHandle(deps.temporal, userId).query(onboardingStateQuery);
  } catch (err) {
    throw err instanceof WorkflowNotFoundError ? notFound('Onboarding') : err;
  }
}
