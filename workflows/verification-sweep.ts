import { proxyActivities, workflowInfo } from '@temporalio/workflow';

import type { VerificationSweepActivities } from '../activities/verification/create-verification-sweep-activities';
import type { NotificationRequestActivities } from '../domain/contracts/notify.contract';
import type { VerificationSweepResult } from '../domain/contracts/verification-sweep.contract';
import { activityProfiles } from './activity-profiles';

const { buildVerificationDigests } = proxyActivities<VerificationSweepActivities>(activityProfiles.fast);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

/**
 * Run by the daily Schedule: one digest per compliance officer of every tenant with overdue or
 * stuck requests. The Schedule gives each run its own workflow id, so notification ids derived
 * from it are unique per day and stable across retries.
 */
export async function verificationSweep(): Promise<VerificationSweepResult> {
  const { workflowId } = workflowInfo();
  const digests = await buildVerificationDigests({ at: new Date().toISOString() });
  let notifications = 0;
  for (const d of digests) {
    for (const officerId of d.officerIds) {
      await requestNotification({
        notificationId: `${workflowId}.${d.tenantId}.${officerId}`,
        userId: officerId,
        event: 'compliance_digest',
        data: { overdue: String(d.overdue), stuck: String(d.stuck), sampleRequestIds: d.sampleRequestIds.join(',') },
        channels: ['email'],
      });
      notifications += 1;
    }
  }
  return { tenants: digests.length, notifications };
}
