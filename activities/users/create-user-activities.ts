import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { Config } from '../../adapters/config';
import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import { confirmationCodeDigest, confirmationCodeFor } from '../../adapters/crypto/onboarding-digests';
import { openRegistration } from '../../adapters/identity/sealed-registration';
import type { Models } from '../../adapters/models';
import { bridgeObjectOwnerId } from '../../adapters/models/bridge-object-owner';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { pendingRegistrationId } from '../../adapters/models/pending-registration';
import { updateUser } from '../../adapters/models/user-writes';
import type { RegistrationDetails, RegistrationRefusal } from '../../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import type { BridgeKycState } from '../../domain/rules/onboarding/bridge';
import type { KycLevel, UserStatus } from '../../domain/vocabulary/users';
import { bridgeRequiredFor } from './bridge-policy';
import {
  applyStatusTransition,
  readAccountStanding,
  type StatusTransition,
  type TransitionResult,
} from './status-transition';

export interface UserActivityDeps {
  config: Pick<Config, 'BRIDGE_ENABLED' | 'BRIDGE_SKIP_COUNTRIES' | 'PII_ENCRYPTION_KEYS'>;
  models: Pick<
    Models,
    | 'User'
    | 'DocumentLock'
    | 'Organization'
    | 'AuditEvent'
    | 'BridgeObjectOwner'
    | 'PendingRegistration'
    | 'AnalyticsOutbox'
  >;
}

export type CreateUserResult =
  | { ok: true; tenantId: string | null; bridgeRequired: boolean; replaced?: boolean; confirmedAt?: string }
  | { ok: false; reason: RegistrationRefusal };

function slugFor(name: string, userId: string) {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'org';
  return `${base}-${userId.slice(0, 8)}`;
}

/** Users and their status on the onboarding worker. Every write is idempotent under retries. */
export function createUserActivities({ config, models }: UserActivityDeps) {
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  async function createUser(
    input: RegistrationDetails & { userId: string; requestFingerprint?: string },
  ): Promise<CreateUserResult> {
    let tenantId: string | null = null;
    let orgSettings: unknown = null;
    let creatorOfOrg = false;
    if (input.org && 'id' in input.org) {
      const org = await models.Organization.findById(input.org.id).lean();
      if (!org) return { ok: false, reason: 'ORG_NOT_FOUND' };
      tenantId = org._id;
      orgSettings = org.settings;
      // The API claimed this organization for this registrant (org_name): they administer it.
      creatorOfOrg = org.createdBy === input.userId;
    } else if (input.org && 'name' in input.org) {
      // Slug carries the user id: a retried activity finds the organization it already made.
      const slug = slugFor(input.org.name, input.userId);
      const org = await models.Organization.findOneAndUpdate(
        { slug },
        { $setOnInsert: { name: input.org.name, slug } },
        { upsert: true, new: true },
      ).lean();
      tenantId = org!._id;
      orgSettings = org!.settings;
      creatorOfOrg = true;
    }
    const roles = creatorOfOrg
      ? // BANK_ADMIN is what lets them manage their staff through /api/v1/auth/users (seed 002). The
        // platform role stays org-staff: `admin` is reserved for platform operators (docs/roles.md).
        { role: 'org-staff' as const, userType: 'org-admin' as const, staffRole: 'BANK_ADMIN' as const }
      : { role: 'retail' as const, userType: 'user' as const, staffRole: null };
    const details = {
      passwordHash: input.passwordHash,
      firstName: input.firstName,
      lastName: input.lastName,
      phone: input.phone ?? null,
      country: input.country ?? null,
      tenantId,
      registrationFingerprint: input.requestFingerprint ?? null,
      ...roles,
    };
    let replaced = false;
    try {
      await models.User.create({ _id: input.userId, email: input.email, status: 'not_verified', ...details });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await models.User.findById(input.userId, { email: 1 }).lean();
      // Another id holds the address (staff, a partner's user, the ops CLI): it is taken.
      if (!existing || existing.email !== input.email.toLowerCase()) return { ok: false, reason: 'EMAIL_TAKEN' };
      const outcome = await replaceUnconfirmedRegistration(input.userId, details);
      if (outcome !== 'replaced' && outcome !== 'same-request') return { ok: false, reason: outcome };
      replaced = outcome === 'replaced';
    }
    await noteAnalyticsChange(models, 'user', input.userId);
    return {
      ok: true,
      tenantId,
      bridgeRequired: bridgeRequiredFor(config, input.country ?? null, orgSettings),
      ...(replaced ? { replaced } : {}),
    };
  }

  /**
   * The address already has a user record of its own registration (same id). An email belongs to
   * whoever proves they read it, so: a rejected account stays rejected; a confirmed one is taken;
   * an unconfirmed one is replaced wholly by this registration (password, names, phone, country,
   * date of birth, organisation, roles) and every token it had is cut off, so no password set by
   * someone who never read the mailbox can ever open it. The decision is taken on the locked record,
   * so a confirmation landing at the same moment is never overwritten. A retry of this same request
   * (same fingerprint) changes nothing.
   */
  async function replaceUnconfirmedRegistration(
    userId: string,
    details: Record<string, unknown> & { registrationFingerprint: string | null },
  ) {
    // Decided inside the locked write below (a closure: TypeScript cannot follow the assignment).
    let outcome = 'EMAIL_TAKEN' as 'replaced' | 'same-request' | RegistrationRefusal;
    await updateUser(models, userId, (current) => {
      if (current.status === 'rejected') outcome = 'ACCOUNT_REJECTED';
      // Confirmed, or a staff decision on it (e.g. deactivated): taken, and the decision stands.
      else if (current.emailVerifiedAt || current.status !== 'not_verified') outcome = 'EMAIL_TAKEN';
      else if (details.registrationFingerprint && current.registrationFingerprint === details.registrationFingerprint)
        outcome = 'same-request';
      else outcome = 'replaced';
      if (outcome !== 'replaced') return null;
      return {
        $set: { ...details, dateOfBirthSealed: null, dateOfBirthVerifiedAt: null, address: null, idDocuments: [] },
        $inc: { tokenVersion: 1 },
      };
    });
    if (outcome === 'replaced') {
      await models.AuditEvent.create({
        _id: `registration-replaced:${userId}:${details.registrationFingerprint}`,
        at: new Date(),
        actor: `user:${userId}`,
        subject: userId,
        action: 'user.registration_replaced',
        reason: 'a new registration of an unconfirmed address replaced the earlier one',
      }).catch((err) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
    }
    return outcome;
  }

  return {
    /**
     * First step of onboarding: the workflow creates its own user, so none exists without one. The
     * details come sealed with the request (`sealedRegistration`, adapters/identity/sealed-registration.ts),
     * or, in runs started before that, from the pending registration the API stored (by
     * `requestFingerprint`). A retry of the sealed path creates nothing twice: the user's
     * `registrationFingerprint` makes it the same request (`replaceUnconfirmedRegistration`).
     */
    async createOnboardingUser(ref: {
      userId: string;
      requestFingerprint: string;
      sealedRegistration?: string;
    }): Promise<CreateUserResult> {
      if (ref.sealedRegistration) {
        const details = openRegistration(cipher, ref.userId, ref.requestFingerprint, ref.sealedRegistration);
        return createUser({ ...details, userId: ref.userId, requestFingerprint: ref.requestFingerprint });
      }
      const pendingId = pendingRegistrationId(ref.userId, ref.requestFingerprint);
      const details = await models.PendingRegistration.findById(pendingId).lean();
      if (!details) {
        // Consumed by an earlier attempt of this activity that created the user: answer as it did.
        const user = await models.User.findById(ref.userId, { tenantId: 1, country: 1 }).lean();
        if (!user) throw ActivityFailures.create('NOT_FOUND', 'The registration details are gone');
        const org = user.tenantId ? await models.Organization.findById(user.tenantId, { settings: 1 }).lean() : null;
        return {
          ok: true,
          tenantId: user.tenantId ?? null,
          bridgeRequired: bridgeRequiredFor(config, user.country ?? null, org?.settings ?? null),
        };
      }
      const result = await createUser({ ...details, userId: ref.userId, requestFingerprint: ref.requestFingerprint });
      // The hash has done its job (it now lives only on the user, if one was created).
      await models.PendingRegistration.deleteOne({ _id: pendingId });
      return result;
    },

    /**
     * First step of a reopened onboarding (an audited staff decision moved a rejected account back
     * to not_verified): the user exists and confirmed its address; the run needs its tenant, the
     * Bridge rule and when it confirmed. Anything else (not reopened, never confirmed) refuses.
     */
    async reopenOnboardingUser(input: { userId: string }): Promise<CreateUserResult> {
      const user = await models.User.findById(input.userId, {
        tenantId: 1,
        country: 1,
        status: 1,
        emailVerifiedAt: 1,
      }).lean();
      if (!user || user.status !== 'not_verified' || !user.emailVerifiedAt)
        return { ok: false, reason: 'ACCOUNT_REJECTED' };
      const org = user.tenantId ? await models.Organization.findById(user.tenantId, { settings: 1 }).lean() : null;
      return {
        ok: true,
        tenantId: user.tenantId ?? null,
        bridgeRequired: bridgeRequiredFor(config, user.country ?? null, org?.settings ?? null),
        confirmedAt: new Date(user.emailVerifiedAt).toISOString(),
      };
    },

    /**
     * The digest of the code the confirmation email `notificationId` will carry. The code itself is
     * computed by the notifications worker when it sends that email (`confirmationCodeFor`), so
     * neither this result nor the notify request holds it.
     */
    async issueConfirmationDigest(input: { userId: string; notificationId: string }): Promise<{ digest: string }> {
      return {
        digest: confirmationCodeDigest(
          config,
          input.userId,
          confirmationCodeFor(config, input.userId, input.notificationId),
        ),
      };
    },

    async markEmailConfirmed(input: { userId: string; at: string }): Promise<void> {
      await updateUser(models, input.userId, (current) =>
        current.emailVerifiedAt ? null : { $set: { emailVerifiedAt: new Date(input.at) } },
      );
      await noteAnalyticsChange(models, 'user', input.userId);
    },

    /** Provider state mirrored on the user (`kyc.veriff`, `kyc.bridge`) for reads and webhook routing. */
    async recordKycState(input: {
      userId: string;
      provider: 'veriff' | 'bridge';
      state: Record<string, unknown>;
    }): Promise<void> {
      const set: Record<string, unknown> = Object.fromEntries(
        Object.entries(input.state).map(([k, v]) => [`kyc.${input.provider}.${k}`, v]),
      );
      // Funnel milestones (analytics): the first time each step is reached.
      const milestone =
        input.provider === 'veriff' && input.state.status === 'created' && input.state.sessionId
          ? 'kycStartedAt'
          : input.provider === 'veriff' && input.state.status === 'approved'
            ? 'kycApprovedAt'
            : input.provider === 'bridge' && input.state.tosStatus === 'approved'
              ? 'termsAcceptedAt'
              : null;
      await updateUser(models, input.userId, (current) => {
        if (milestone && !(current as Record<string, unknown>)[milestone]) set[milestone] = new Date();
        return { $set: set };
      });
      await noteAnalyticsChange(models, 'user', input.userId);
      if (input.provider === 'bridge') {
        // Webhooks find the user by these ids: an `_id` read instead of a scan of users.
        const owned = (['kycLinkId', 'customerId'] as const).filter((k) => typeof input.state[k] === 'string');
        for (const k of owned) {
          const _id = bridgeObjectOwnerId(k === 'kycLinkId' ? 'kyc_link' : 'customer', input.state[k] as string);
          await models.BridgeObjectOwner.create({ _id, userId: input.userId }).catch((err) => {
            if (!isDuplicateKeyError(err)) throw err;
          });
        }
      }
    },

    /**
     * Status transitions the onboarding workflow makes itself, each with an audit event keyed by
     * `auditId`; `cause: 'bridge'` marks a rejection Bridge caused (Bridge may undo only those).
     */
    async setUserStatus(input: {
      userId: string;
      status: UserStatus;
      kycLevel?: KycLevel;
      reason?: string | null;
      auditId: string;
      cause?: 'onboarding' | 'bridge';
      /** Bridge's state from the run's last Bridge event, written with the status (one user write, not two). */
      bridge?: BridgeKycState;
    }): Promise<void> {
      await applyStatusTransition(models, {
        ...(input.bridge ? { bridge: input.bridge, bridgeMilestones: true } : {}),
        userId: input.userId,
        transitionId: input.auditId,
        to: input.status,
        cause: input.cause ?? 'onboarding',
        actor: 'system:onboarding',
        reason: input.reason,
        kycLevel: input.kycLevel,
      });
    },

    /** Any transition of the workflow owning the user (admin changes, Bridge after onboarding). */
    async transitionUserStatus(input: StatusTransition): Promise<TransitionResult | null> {
      return applyStatusTransition(models, input);
    },

    /** The user's status and Bridge state with its event times (the account workflow starts from it). */
    async readAccountStanding(input: { userId: string }) {
      return readAccountStanding(models, input.userId);
    },
  };
}

export type UserActivities = ReturnType<typeof createUserActivities>;
