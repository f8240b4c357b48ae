// Task queue names are part of the deployment contract between the API and each worker process.
// A prefix (TASK_QUEUE_PREFIX) lets several deployments — or parallel test files — share one
// Temporal namespace without stealing each other's tasks. Pure module: workflows import it too.
export const QUEUE_NAMES = Object.freeze({
  onboarding: 'onboarding',
  kycProviders: 'kyc-providers',
  notifications: 'notifications',
});
export type QueueName = keyof typeof QUEUE_NAMES;

export function taskQueues(prefix = ''): Readonly<Record<QueueName, string>> {
  return Object.freeze({
    onboarding: prefix + QUEUE_NAMES.onboarding,
    kycProviders: prefix + QUEUE_NAMES.kycProviders,
    notifications: prefix + QUEUE_NAMES.notifications,
  });
}

/** From inside a workflow or activity: the queue `name` of the same deployment as `ownQueue`. */
export function siblingQueue(ownQueue: string, name: QueueName): string {
  const base = Object.values(QUEUE_NAMES).find((q) => ownQueue.endsWith(q));
  const prefix = base ? ownQueue.slice(0, ownQueue.length - base.length) : '';
  return prefix + QUEUE_NAMES[name];
}
