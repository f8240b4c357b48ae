import { createSystemActivities } from '../../activities/system/create-system-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const notificationsWorkerSpec: WorkerProcessSpec = {
  name: 'notifications-worker',
  queue: 'notifications',
  hostsWorkflows: false,
  buildActivities: ({ models }) => ({
    ...createSystemActivities({ models }),
  }),
};
