import { createSystemActivities } from '../../activities/system/create-system-activities';
import { TASK_QUEUES } from '../common/task-queues';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const kycWorkerSpec: WorkerProcessSpec = {
  name: 'kyc-worker',
  taskQueue: TASK_QUEUES.kycProviders,
  hostsWorkflows: false,
  buildActivities: ({ models }) => ({
    ...createSystemActivities({ models }),
  }),
};
