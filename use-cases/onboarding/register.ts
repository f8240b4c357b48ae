import { type Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';

import type { ProcessConfig } from '../../adapters/config';
import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import { registrationFingerprint, registrationUserId } from '../../adapters/crypto/onboarding-digests';
import type { PasswordHasher } from '../../adapters/crypto/passwords';
import { findUserByEmail } from '../../adapters/identity/find-user-by-email';
import { sealRegistration } from '../../adapters/identity/sealed-registration';
import type { Logger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';
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
 * Self-registration (docs/onboarding.md): claims the organization the request names, seals the
 * details (with the password hash) for the run's first activity, starts or joins the onboarding with
 * the register update, and seals the date of birth onto the user it created. Safe to retry: the user
 * id and workflow id derive from the address, the request's fingerprint makes a retry the same request.
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
  // The details (with the password hash) travel sealed with the PII field cipher, in the workflow
  // input and the register update: only the run's first activity opens them, so nothing readable
  // enters workflow history, and no row is written, read and deleted on the way (issue 23).
  const sealedRegistration = sealRegistration(deps.cipher, userId, requestFingerprint, {
    email: body.email,
    passwordHash: await deps.passwords.hash(body.password),
    firstName: body.firstName,
    lastName: body.lastName,
    phone: body.phone ?? null,
    country: body.country ?? null,
    org,
  });
  const input: OnboardingInput = { userId, requestFingerprint, sealedRegistration, policy };
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
      args: [{ requestFingerprint, sealedRegistration }],
      startWorkflowOperation: start,
    });
  } catch (err) {
    // Refused (e.g. EMAIL_TAKEN by another request). Not answered (Temporal out of reach, issue
    // 22): nothing to clean up, the details existed only in the request; a retry sends them again.
    if (err instanceof WorkflowUpdateFailedError) {
      // A refused registration gives back the invitation use it claimed.
      await releaseInvitation();
      const refused = failureOf(err)?.type;
      if (refused === 'EMAIL_TAKEN' || refused === 'ACCOUNT_REJECTED') {
        const owner = await findUserByEmail(models, config, body.email, { _id: 1 });
        if (owner) await warnOwner(deps, owner._id);
      }
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
