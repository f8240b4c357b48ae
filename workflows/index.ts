// Every workflow of the project: the onboarding and notifications workers both host this one bundle
// (services/common/worker-runner.ts), built from this file and only its imports; the kyc worker runs
// activities only. `./onboarding` is the folder workflows/onboarding/ (one module per step).
// How each moves between Worker Deployment Versions is declared in one place:
import './versioning';
export { account } from './account';
export { analyticsRoller } from './analytics-roller';
export { caseSweep } from './case-sweep';
export { notify } from './notify';
export { notifyBatch } from './notify-batch';
export { onboarding } from './onboarding';
export { partnerKyc } from './partner-kyc';
export { pipelineProbe } from './pipeline-probe';
export { transactionHold } from './transaction-hold';
export { verificationRequest } from './verification-request';
export { verificationSweep } from './verification-sweep';
