// Every workflow the onboarding worker hosts. The worker bundles this file (and only its imports).
export { pipelineProbe } from './pipeline-probe';
export { onboarding } from './onboarding';
export { verificationRequest } from './verification-request';
export { verificationSweep } from './verification-sweep';
export { notify } from './notify';
export { analyticsRoller } from './analytics-roller';
export { partnerKyc } from './partner-kyc';
export { transactionHold } from './transaction-hold';
export { account } from './account';
export { caseSweep } from './case-sweep';
