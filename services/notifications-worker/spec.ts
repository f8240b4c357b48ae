import { createSystemActivities } from '../../activities/system/create-system-activities';
import { TASK_QUEUES } from '../common/task-queues';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const notificationsWorkerSpec: WorkerProcessSpec = {
  name: 'notifications-worker',
  taskQueue: TASK_QUEUES.notifications,
  hostsWorkflows: false,
  buildActivities: ({ models }) => ({
    ...createSystemActivities({ models }),
  }),
};
