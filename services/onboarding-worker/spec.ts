import { createSystemActivities } from '../../activities/system/create-system-activities';
import { createUserActivities } from '../../activities/users/create-user-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const onboardingWorkerSpec: WorkerProcessSpec = {
  name: 'onboarding-worker',
  queue: 'onboarding',
  hostsWorkflows: true,
  buildActivities: ({ config, models }) => ({
    ...createSystemActivities({ models }),
    ...createUserActivities({ config, models }),
  }),
};
