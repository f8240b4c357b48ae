import { type Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';

import type { ProcessConfig } from '../../adapters/config';
import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import { registrationFingerprint, registrationUserId } from '../../adapters/crypto/onboarding-digests';
import type { PasswordHasher } from '../../adapters/crypto/passwords';
import { findUserByEmail } from '../../adapters/identity/find-user-by-email';
import type { Logger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { pendingRegistrationId } from '../../adapters/models/pending-registration';
import type { UserDoc } from '../../adapters/models/user';
import { startNotification } from '../../adapters/notifications/start-notification';
import { failureOf } from '../../adapters/temporal/failure-of';
import {
  ONBOARDING_WORKFLOW,
  type OnboardingInput,
  onboardingWorkflowId,
  type RegisterResult,
  registerUpdate,
} from '../../domain/contracts/onboarding.contract';
import { taskQueues } from '../../domain/task-queues';
import { conflict } from '../app-error';
import { setDateOfBirth } from '../users/set-date-of-birth';
import { onboardingPolicy } from './onboarding-policy';
import { organizationForRegistration } from './org-signup';

/** What a registration needs, passed in by the API (services/api/onboarding/onboarding-routes.ts). */
export interface RegisterDeps {
  config: ProcessConfig<'api'>;
  models: Models;
  temporal: Client;
  logger: Logger;
  /** argon2id with the configured cost, shared with login (adapters/crypto/passwords.ts). */
  passwords: Pick<PasswordHasher, 'hash'>;
  cipher: FieldCipher;
  now: () => Date;
}

/** The validated `POST /users/register` body. Its fields, all of them, make the request's fingerprint. */
export interface Registration {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phone?: string;
  country?: string;
  dateOfBirth?: string;
  org_name?: string;
  org_id?: string;
  invitationCode?: string;
}

/**
 * Tells the owner of a taken address that someone tried to register it, pointing to sign-in and
 * recovery: at most one such email per account per UTC day (the notification id is the limit).
 * Best effort: the 409 answers whether or not it could be sent.
 */
async function warnOwner(deps: RegisterDeps, ownerId: string): Promise<void> {
  const day = deps.now().toISOString().slice(0, 10);
  await startNotification(deps.temporal, taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications, {
    notificationId: `registration-attempt.${ownerId}.${day}`,
    userId: ownerId,
    event: 'registration_attempted',
    data: {},
    channels: ['email'],
    source: 'registration',
  }).catch((err) => deps.logger.warn({ err: (err as Error).name }, 'registration attempt notice not sent'));
}

/**
 * Self-registration (docs/onboarding.md): claims the organization the request names, stores the
 * details (with the password hash) outside workflow history, starts or joins the onboarding with the
 * register update, and seals the date of birth onto the user it created. Safe to retry: the user id
 * and workflow id derive from the address, the pending details from the request's fingerprint.
 */
export async function register(
  deps: RegisterDeps,
  body: Registration,
  audit: { requestId: string | null },
): Promise<RegisterResult> {
  const { config, models, temporal } = deps;
  const userId = registrationUserId(config, body.email);
  // An email registered some other way (staff, ops CLI) is refused by the workflow's insert
  // (unique email index) with the same 409, so the common path skips the lookup: on FerretDB
  // a filter other than `_id` decodes every user. Only a registration that would create an
  // organization looks first, so a taken email never leaves a stray organization behind.
  const existing = body.org_name
    ? await findUserByEmail(models, config, body.email, { _id: 1, emailVerifiedAt: 1, status: 1 })
    : null;
  // Refused whatever the workflow would say (another id holds it, or it is confirmed or
  // decided): answered here, before an organization is claimed for a request that cannot win.
  if (existing && (existing._id !== userId || existing.emailVerifiedAt || existing.status !== 'not_verified')) {
    await warnOwner(deps, existing._id);
    if (existing._id === userId && existing.status === 'rejected') {
      throw conflict(
        'ACCOUNT_REJECTED',
        'This account was not verified and cannot be registered again; contact support to have the decision reviewed',
      );
    }
    throw conflict('EMAIL_TAKEN', 'This email is already registered');
  }
  const policy = onboardingPolicy(config);
  // An unconfirmed record of this address is replaced by this registration, organization
  // included: a retry finds the organization it claimed, a new name is claimed afresh.
  const { org, release: releaseInvitation } = await organizationForRegistration(
    models,
    body,
    userId,
    deps.now(),
    policy.confirmAbandonAfterMs,
  );
  const requestFingerprint = registrationFingerprint(config, { ...body });
  // The details (with the password hash) go to the database, not into workflow history: the
  // workflow's first activity reads them by this id. A retry of the same request finds its own.
  const pendingId = pendingRegistrationId(userId, requestFingerprint);
  try {
    await models.PendingRegistration.create({
      _id: pendingId,
      email: body.email,
      passwordHash: await deps.passwords.hash(body.password),
      firstName: body.firstName,
      lastName: body.lastName,
      phone: body.phone ?? null,
      country: body.country ?? null,
      org,
      createdAt: new Date(),
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const input: OnboardingInput = { userId, requestFingerprint, policy };
  const start = new WithStartWorkflowOperation(ONBOARDING_WORKFLOW, {
    workflowId: onboardingWorkflowId(userId),
    taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // The registration's short steps are local activities inside one workflow task; a busy
    // worker gets 30 s (not the default 10) before the server gives that task to another.
    workflowTaskTimeout: '30 seconds',
  });
  let result: RegisterResult;
  try {
    result = await temporal.workflow.executeUpdateWithStart(registerUpdate, {
      args: [{ requestFingerprint }],
      startWorkflowOperation: start,
    });
    // The update answers after the user exists; a retry of a finished request re-wrote its details.
    await models.PendingRegistration.deleteOne({ _id: pendingId });
  } catch (err) {
    // Refused (e.g. EMAIL_TAKEN by another request): no run will ever read these details. On a
    // timeout they stay, for the run that may still read them.
    if (err instanceof WorkflowUpdateFailedError) {
      await models.PendingRegistration.deleteOne({ _id: pendingId });
      // A refused registration gives back the invitation use it claimed.
      await releaseInvitation();
      const refused = failureOf(err)?.type;
      if (refused === 'EMAIL_TAKEN' || refused === 'ACCOUNT_REJECTED') {
        const owner = await findUserByEmail(models, config, body.email, { _id: 1 });
        if (owner) await warnOwner(deps, owner._id);
      }
    } else {
      // Not answered (Temporal out of reach, issue 22): this row may still be read by a run the
      // request did reach, so it stays, but expires (PENDING_REGISTRATION_TTL_MS). Expired
      // ones left by earlier failures go now; the API also sweeps them hourly (main.ts).
      await models.PendingRegistration.sweepExpired(deps.now(), pendingId).catch(() => undefined);
    }
    throw err;
  }
  // The date of birth stays out of the workflow (and its history): the user exists now, so it is
  // sealed onto the record here. A retried request (same fingerprint) sets the same value again.
  if (body.dateOfBirth) {
    const user = (await models.User.findById(userId, {
      tenantId: 1,
      dateOfBirthSealed: 1,
      dateOfBirthVerifiedAt: 1,
    }).lean()) as UserDoc | null;
    if (user)
      await setDateOfBirth(models, deps.cipher, user, body.dateOfBirth, {
        actorId: userId,
        requestId: audit.requestId,
        reason: 'registration',
      });
  }
  return result;
}
