import { createSystemActivities } from '../../activities/system/create-system-activities';
import { TASK_QUEUES } from '../common/task-queues';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const onboardingWorkerSpec: WorkerProcessSpec = {
  name: 'onboarding-worker',
  taskQueue: TASK_QUEUES.onboarding,
  hostsWorkflows: true,
  buildActivities: ({ models }) => ({
    ...createSystemActivities({ models }),
  }),
};
