import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { storeNotificationBatch } from '../../adapters/notifications/notification-batches';
import { findOverdueAndStuck } from '../../adapters/verification-queries';
import {
  type StoreDigestBatchInput,
  type StoreDigestBatchResult,
  type TenantDigest,
  verificationDigestBatchId,
  verificationDigestRequests,
} from '../../domain/contracts/verification-sweep.contract';

export interface VerificationSweepDeps {
  config: Pick<Config, 'VERIFICATION_STUCK_AFTER_MINUTES' | 'NOTIFY_BATCH_PAGE_SIZE'>;
  models: Pick<Models, 'VerificationRequest' | 'User' | 'NotificationBatch' | 'NotificationBatchPage'>;
}

/** The daily sweep's database side; hosted on the onboarding worker. */
export function createVerificationSweepActivities({ config, models }: VerificationSweepDeps) {
  const activities = {
    /** Overdue/stuck requests grouped by tenant, with that tenant's active compliance officers. */
    async buildVerificationDigests(input: { at: string }): Promise<TenantDigest[]> {
      const { overdue, stuck } = await findOverdueAndStuck(models, {
        now: new Date(input.at),
        stuckAfterMinutes: config.VERIFICATION_STUCK_AFTER_MINUTES,
        limit: 5000,
      });
      const byTenant = new Map<string, TenantDigest>();
      const entry = (tenantId: string) => {
        let d = byTenant.get(tenantId);
        if (!d) byTenant.set(tenantId, (d = { tenantId, officerIds: [], overdue: 0, stuck: 0, sampleRequestIds: [] }));
        return d;
      };
      for (const [list, key] of [
        [overdue, 'overdue'],
        [stuck, 'stuck'],
      ] as const) {
        for (const r of list) {
          if (!r.tenantId) continue; // no tenant, no compliance officer: the admin endpoint lists these
          const d = entry(r.tenantId);
          d[key] += 1;
          if (d.sampleRequestIds.length < 10) d.sampleRequestIds.push(r._id);
        }
      }
      const officers = await models.User.find(
        { tenantId: { $in: [...byTenant.keys()] }, staffRole: 'COMPLIANCE_OFFICER', status: { $ne: 'inactive' } },
        { _id: 1, tenantId: 1 },
      ).lean();
      for (const o of officers) byTenant.get(o.tenantId!)?.officerIds.push(o._id);
      return [...byTenant.values()]
        .filter((d) => d.officerIds.length > 0)
        .sort((a, b) => a.tenantId.localeCompare(b.tenantId));
    },

    /**
     * The pass's digests stored as one notify batch (`digests-<sweep workflow id>`), the recipients in
     * pages, never in history. Insert-first: a retry after the batch record was written returns what
     * the first attempt stored (its digests, not a second reading of the requests), so a pass is one
     * batch with one set of pages whatever the attempts; each message's ledger claim does the rest.
     */
    async storeVerificationDigestBatch(input: StoreDigestBatchInput): Promise<StoreDigestBatchResult> {
      const batchId = verificationDigestBatchId(input.sweepWorkflowId);
      const digests = await activities.buildVerificationDigests({ at: input.at });
      // The tenant count of a retry is read again (the batch record keeps only messages and pages).
      const stored = await models.NotificationBatch.findById(batchId).lean();
      if (stored) return { batchId, pages: stored.pages, notifications: stored.recipients, tenants: digests.length };
      const recipients = verificationDigestRequests(input.sweepWorkflowId, digests);
      if (recipients.length === 0) return { batchId, pages: 0, notifications: 0, tenants: 0 };
      const { pages } = await storeNotificationBatch(models, {
        batchId,
        source: 'workflow:verificationSweep',
        recipients,
        pageSize: config.NOTIFY_BATCH_PAGE_SIZE,
      });
      return { batchId, pages, notifications: recipients.length, tenants: digests.length };
    },
  };
  return activities;
}

export type VerificationSweepActivities = ReturnType<typeof createVerificationSweepActivities>;
