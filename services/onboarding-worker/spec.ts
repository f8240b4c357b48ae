import { createSystemActivities } from '../../activities/system/create-system-activities';
import { createVerificationActivities } from '../../activities/verification/create-verification-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const onboardingWorkerSpec: WorkerProcessSpec = {
  name: 'onboarding-worker',
  queue: 'onboarding',
  hostsWorkflows: true,
  buildActivities: ({ config, models }) => ({
    ...createSystemActivities({ models }),
    ...createVerificationActivities({ config, models }),
  }),
};
