import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { Models } from '../../adapters/models';
import type { OrganizationDoc } from '../../adapters/models/organization';
import { updateUser } from '../../adapters/models/user-writes';
import { closedLock } from '../../adapters/models/verification-request';
import { verificationRequestWorkflowId } from '../../domain/contracts/verification-request.contract';
import {
  type IdentityNumberType,
  type SealedNumbers,
  TERMINAL_STATUSES,
  type VerificationPlan,
  type VerificationStatus,
} from '../../domain/contracts/verification-request.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { resolveVerificationSettings, type VerificationDefaults } from '../../domain/rules/verification-settings';

export interface VerificationActivityDeps {
  config: VerificationDefaults;
  models: Pick<
    Models,
    'VerificationRequest' | 'User' | 'DocumentLock' | 'Organization' | 'AuditEvent' | 'AnalyticsOutbox'
  >;
}

export interface TransitionInput {
  requestId: string;
  /** Workflow step counter: a retried activity with the same seq changes nothing. */
  seq: number;
  to: VerificationStatus;
  /** Workflow time of the transition (ISO). */
  at: string;
  reason?: string;
  actor?: string;
  numbers?: SealedNumbers;
  failure?: { code: string; message: string };
  canResubmit?: boolean;
}

/** Database side of verification requests; hosted on the onboarding worker. */
export function createVerificationActivities({ config, models }: VerificationActivityDeps) {
  return {
    /** Service defaults overlaid with the tenant's settings.verification, plus the user's time zone. */
    async getVerificationPlan(input: { requestId: string }): Promise<VerificationPlan> {
      const request = await models.VerificationRequest.findById(input.requestId, {
        userId: 1,
        tenantId: 1,
        maxSubmissions: 1,
      }).lean();
      if (!request) throw ActivityFailures.create('NOT_FOUND', 'verification request not found');
      const [user, org] = await Promise.all([
        models.User.findById(request.userId, { timezone: 1 }).lean(),
        request.tenantId ? models.Organization.findById(request.tenantId, { settings: 1 }).lean() : null,
      ]);
      const settings = resolveVerificationSettings(config, (org as OrganizationDoc | null)?.settings);
      return {
        timezone: user?.timezone || 'Africa/Lagos',
        quietHours: settings.quietHours,
        ladder: settings.ladder,
        maxSubmissions: request.maxSubmissions,
      };
    },

    /** A staff extension of the due date (case action): the record shows what the workflow now waits for. */
    async recordVerificationDueAt(input: { requestId: string; dueAt: string }): Promise<void> {
      await models.VerificationRequest.updateOne({ _id: input.requestId }, { $set: { dueAt: new Date(input.dueAt) } });
      await noteAnalyticsChange(models, 'verification-request', input.requestId);
    },

    /** Applies one status change atomically and idempotently, appending it to the history. */
    async recordVerificationTransition(input: TransitionInput): Promise<void> {
      const at = new Date(input.at);
      const closing = TERMINAL_STATUSES.includes(input.to) || (input.to === 'failed' && !input.canResubmit);
      const set: Record<string, unknown> = { status: input.to, statusAt: at, lastSeq: input.seq };
      if (input.to === 'failed') {
        set.failure = input.failure ?? null;
        set.canResubmit = Boolean(input.canResubmit);
      }
      if (input.to === 'submitted') {
        set.failure = null;
        set.canResubmit = false;
        for (const [type, n] of Object.entries(input.numbers ?? {})) set[`numbers.${type}`] = n;
      }
      if (closing)
        Object.assign(set, {
          canResubmit: false,
          lockBvn: closedLock(input.requestId),
          lockNin: closedLock(input.requestId),
        });
      const before = await models.VerificationRequest.findOneAndUpdate(
        { _id: input.requestId, lastSeq: { $lt: input.seq } },
        {
          $set: set,
          $push: { transitions: { status: input.to, at, reason: input.failure?.code ?? input.reason ?? null } },
          ...(input.to === 'submitted' ? { $inc: { submissions: 1 } } : {}),
        },
        // No projection: FerretDB's findAndModify does not support one.
      ).lean();
      // Noted even on a retry that finds the change applied: the first attempt may have died here.
      await noteAnalyticsChange(models, 'verification-request', input.requestId);
      if (!before) return; // already applied by an earlier attempt
      if (closing || input.to === 'failed') {
        await models.AuditEvent.create({
          actor: input.actor ?? 'system:verification-request',
          subject: before.userId,
          tenantId: before.tenantId ?? null,
          action: `verification_request.${input.to}`,
          from: before.status,
          to: input.to,
          reason: input.failure?.code ?? input.reason ?? null,
          requestId: verificationRequestWorkflowId(input.requestId),
        });
      }
    },

    /** On a verified request: raise the user's KYC level to basic (never lower it) and record the check. */
    async completeIdentityVerification(input: {
      requestId: string;
      userId: string;
      types: IdentityNumberType[];
      at: string;
    }): Promise<void> {
      const request = await models.VerificationRequest.findById(input.requestId, { numbers: 1, tenantId: 1 }).lean();
      const set: Record<string, unknown> = {};
      for (const type of input.types) {
        set[`kyc.identityNumbers.${type}`] = {
          verifiedAt: new Date(input.at),
          last3: request?.numbers?.[type]?.last3 ?? null,
          requestId: input.requestId,
        };
      }
      // Decided on the locked record: only this writer can raise `none` to `basic`, once.
      const written = await updateUser(models, input.userId, (current) => ({
        $set: current.kycLevel === 'none' ? { ...set, kycLevel: 'basic' } : set,
      }));
      if (written?.before.kycLevel === 'none') {
        await noteAnalyticsChange(models, 'user', input.userId);
        await models.AuditEvent.create({
          actor: 'system:verification-request',
          subject: input.userId,
          tenantId: request?.tenantId ?? null,
          action: 'user.kyc_level',
          from: 'none',
          to: 'basic',
          reason: `identity numbers verified: ${input.types.join('+')}`,
          requestId: verificationRequestWorkflowId(input.requestId),
        });
      }
    },
  };
}

export type VerificationActivities = ReturnType<typeof createVerificationActivities>;
