import { setHandler, workflowInfo } from '@temporalio/workflow';

import { changeUserStatusUpdate } from '../../domain/contracts/account.contract';
import {
  type OnboardingInput,
  type OnboardingOutcome,
  onboardingStateQuery,
} from '../../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { USER_STATUSES } from '../../domain/vocabulary/users';
import { kycProviders } from './activities';
import { createBridgeStep } from './bridge';
import { handleConfirmationUpdates, newConfirmation, settleRegistration } from './confirm';
import { awaitConfirmation } from './confirm-wait';
import { activate, endOfWait, finish } from './end';
import { handleOperatorUpdates } from './operator';
import { startRun } from './state';
import { createUserWriter } from './user-writer';
import { createVeriffStep } from './veriff';

/**
 * register → confirm the emailed code → Veriff session and decision → Bridge KYC link + ToS →
 * activation. The workflow owns the user's status transitions (one writer, ./user-writer.ts);
 * webhooks reach it as signals, user actions as updates (validated, so a wrong code is an error to
 * the caller, not the run). One module per step; the decisions are the pure rules of
 * domain/rules/onboarding/.
 */
export async function onboarding(input: OnboardingInput): Promise<{ outcome: OnboardingOutcome }> {
  const run = startRun(input);
  const writer = createUserWriter(run);
  const kyc = kycProviders(workflowInfo().taskQueue);
  const confirmation = newConfirmation(run);
  handleConfirmationUpdates(run, writer, confirmation);
  handleOperatorUpdates(run, confirmation);
  const awaitVeriffDecision = createVeriffStep(run, writer, kyc);
  const awaitBridgeApproval = createBridgeStep(run, writer, kyc);

  // The admin endpoint's change (PUT /users/{id}/status), applied by this run in turn with its own writes.
  setHandler(changeUserStatusUpdate, (req) => writer.changeStatusByAdmin(req), {
    validator: (req) => {
      if (!(USER_STATUSES as readonly string[]).includes(req?.to))
        throw ActivityFailures.create('VALIDATION_ERROR', 'Unknown user status');
    },
  });
  setHandler(onboardingStateQuery, () => run.s);

  // The user record, created by the workflow itself from the registration the API sealed (or, in
  // runs started before, stored as a pending registration): the details and the password hash
  // never pass through this history in clear.
  const created = input.reopened
    ? await writer.reopen()
    : await writer.create(input.requestFingerprint, input.sealedRegistration);
  settleRegistration(run, confirmation, created);
  if (!created.ok) return finish(run, writer, 'registration_failed');

  const confirmed = await awaitConfirmation(run, confirmation, created);
  if (confirmed !== 'done') return finish(run, writer, endOfWait(run, confirmed));
  const ended = (await awaitVeriffDecision()) ?? (await awaitBridgeApproval()) ?? (await activate(run, writer));
  return finish(run, writer, ended);
}
