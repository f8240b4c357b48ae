import { createNotificationRequestActivities } from '../../activities/notifications/create-notification-request-activities';
import { createSystemActivities } from '../../activities/system/create-system-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const onboardingWorkerSpec: WorkerProcessSpec = {
  name: 'onboarding-worker',
  queue: 'onboarding',
  hostsWorkflows: true,
  buildActivities: ({ models }) => ({
    ...createSystemActivities({ models }),
    ...createNotificationRequestActivities(),
  }),
};
