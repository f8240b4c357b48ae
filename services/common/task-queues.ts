// Task queue names are part of the deployment contract between the API and each worker process.
export const TASK_QUEUES = Object.freeze({
  onboarding: 'onboarding',
  kycProviders: 'kyc-providers',
  notifications: 'notifications',
});
export type TaskQueue = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
