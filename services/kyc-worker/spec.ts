import { createIdentityNumberActivities } from '../../activities/identity-numbers/create-identity-number-activities';
import { createKycActivities } from '../../activities/kyc/create-kyc-activities';
import { createPartnerKycProviderActivities } from '../../activities/partner-kyc/create-partner-kyc-provider-activities';
import { createSystemActivities } from '../../activities/system/create-system-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

export const kycWorkerSpec: WorkerProcessSpec<'kyc-worker'> = {
  name: 'kyc-worker',
  queue: 'kycProviders',
  hostsWorkflows: false,
  buildActivities: ({ config, models }) => ({
    ...createSystemActivities({ models }),
    ...createKycActivities({ config, models }),
    ...createIdentityNumberActivities({ config, models }),
    ...createPartnerKycProviderActivities({ config, models }),
  }),
};
