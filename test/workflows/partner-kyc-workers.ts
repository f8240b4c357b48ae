import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import type { PartnerKycProviderActivities } from '../../domain/contracts/partner-kyc.contract';
import { testDataConverter, workflowBundle } from '../helpers/temporal';

/**
 * The two workers a partner-KYC run needs in a time-skipping test: the onboarding queue runs the
 * workflows with the given database-side activities (notification requests recorded into
 * `notifications`), the provider queue runs the provider fakes. `body` runs while both poll.
 */
export async function runPartnerKycWorkers<T>(
  env: TestWorkflowEnvironment,
  prefix: string,
  fakes: { activities: object; provider: PartnerKycProviderActivities; notifications: NotificationRequest[] },
  body: () => Promise<T>,
): Promise<T> {
  const dataConverter = testDataConverter();
  const onboarding = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: `${prefix}onboarding`,
    workflowBundle: await workflowBundle(),
    activities: {
      ...fakes.activities,
      requestNotification: async (req: NotificationRequest) => (
        fakes.notifications.push(req),
        { notificationId: req.notificationId }
      ),
    },
    dataConverter,
  });
  const kyc = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: `${prefix}kyc-providers`,
    activities: fakes.provider,
    dataConverter,
  });
  return kyc.runUntil(onboarding.runUntil(body));
}
