import { createAnalyticsActivities } from '../../activities/analytics/create-analytics-activities';
import { createCaseActivities } from '../../activities/cases/create-case-activities';
import { createNotificationRequestActivities } from '../../activities/notifications/create-notification-request-activities';
import { createPartnerKycActivities } from '../../activities/partner-kyc/create-partner-kyc-activities';
import { createSystemActivities } from '../../activities/system/create-system-activities';
import { createUserActivities } from '../../activities/users/create-user-activities';
import { createVerificationActivities } from '../../activities/verification/create-verification-activities';
import { createVerificationSweepActivities } from '../../activities/verification/create-verification-sweep-activities';
import { ensureAnalyticsRollerOnce } from '../common/analytics-roller';
import { ensureCaseSweepOnce } from '../common/case-sweep';
import { ensureSchedulesOnce } from '../common/schedules';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const onboardingWorkerSpec: WorkerProcessSpec<'onboarding-worker'> = {
  name: 'onboarding-worker',
  queue: 'onboarding',
  hostsWorkflows: true,
  buildActivities: ({ config, models }) => ({
    ...createSystemActivities({ models }),
    ...createUserActivities({ config, models }),
    ...createVerificationActivities({ config, models }),
    ...createVerificationSweepActivities({ config, models }),
    ...createPartnerKycActivities({ models }),
    ...createNotificationRequestActivities(),
    ...createAnalyticsActivities({ models }),
    ...createCaseActivities({ models, config }),
  }),
  // The daily verification sweep Schedule exists wherever the workflows run.
  onStart: async ({ config, logger }) => {
    logger.info({ schedules: await ensureSchedulesOnce(config) }, 'schedules ensured');
    // The analytics roller (single writer of the read models) runs wherever the workflows run.
    logger.info({ roller: await ensureAnalyticsRollerOnce(config) }, 'analytics roller ensured');
    // The case sweep (keeps the cases read model current) runs wherever the workflows run.
    logger.info({ caseSweep: await ensureCaseSweepOnce(config) }, 'case sweep ensured');
  },
};
