import { createSystemActivities } from '../../activities/system/create-system-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const kycWorkerSpec: WorkerProcessSpec = {
  name: 'kyc-worker',
  queue: 'kycProviders',
  hostsWorkflows: false,
  buildActivities: ({ models }) => ({
    ...createSystemActivities({ models }),
  }),
};
