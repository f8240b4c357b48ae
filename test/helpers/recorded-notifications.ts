import { confirmationCodeFor } from '../../adapters/crypto/onboarding-digests';
import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import type { WorkerProcessSpec } from '../../services/common/worker-runner';

/** Events whose email carries a code the notifications worker computes when it sends (send-time-data.ts). */
const CONFIRMATION_EMAILS: readonly string[] = ['verification_code', 'confirm_reminder'];

/**
 * A worker spec that also hosts a recording `requestNotification` (the notifications contract's
 * activity), for end-to-end tests of workflows that send messages. `sent` is what the emails would
 * carry: a confirmation email's code, which the request itself never holds, is computed as the
 * notifications worker computes it and recorded as `data.code`; `requests` are the requests as made.
 */
export function withRecordedNotifications(spec: WorkerProcessSpec): {
  spec: WorkerProcessSpec;
  sent: NotificationRequest[];
  requests: NotificationRequest[];
} {
  const sent: NotificationRequest[] = [];
  const requests: NotificationRequest[] = [];
  return {
    sent,
    requests,
    spec: {
      ...spec,
      buildActivities: (deps) => ({
        ...spec.buildActivities(deps),
        async requestNotification(req: NotificationRequest) {
          requests.push(req);
          const code =
            CONFIRMATION_EMAILS.includes(req.event) && !req.data.code
              ? confirmationCodeFor(
                  deps.config as Parameters<typeof confirmationCodeFor>[0],
                  req.userId,
                  req.notificationId,
                )
              : null;
          sent.push(code ? { ...req, data: { ...req.data, code } } : req);
          return { notificationId: req.notificationId };
        },
      }),
    },
  };
}
