import type { WorkerProcessSpec } from '../../services/common/worker-runner';
import type { NotificationRequest } from '../../domain/contracts/notify.contract';

/**
 * A worker spec that also hosts a recording `requestNotification` (the notifications contract's
 * activity), for end-to-end tests of workflows that send messages.
 */
export function withRecordedNotifications(spec: WorkerProcessSpec): { spec: WorkerProcessSpec; sent: NotificationRequest[] } {
  const sent: NotificationRequest[] = [];
  return {
    sent,
    spec: {
      ...spec,
      buildActivities: (deps) => ({
        ...spec.buildActivities(deps),
        async requestNotification(req: NotificationRequest) {
          sent.push(req);
          return { notificationId: req.notificationId };
        },
      }),
    },
  };
}
