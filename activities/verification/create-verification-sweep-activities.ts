import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { findOverdueAndStuck } from '../../adapters/verification-queries';
import type { TenantDigest } from '../../domain/contracts/verification-sweep.contract';

export interface VerificationSweepDeps {
  config: Pick<Config, 'VERIFICATION_STUCK_AFTER_MINUTES'>;
  models: Pick<Models, 'VerificationRequest' | 'User'>;
}

/** The daily sweep's database side; hosted on the onboarding worker. */
export function createVerificationSweepActivities({ config, models }: VerificationSweepDeps) {
  return {
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
  };
}

export type VerificationSweepActivities = ReturnType<typeof createVerificationSweepActivities>;
