import fs from 'node:fs';
import path from 'node:path';

import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { NotificationActivities } from '../../activities/notifications/create-notification-activities';
import type { NotificationRequest, NotifyResult } from '../../domain/contracts/notify.contract';
import { notify } from '../../workflows/notify';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';

describe('notify workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  const result = (notificationId: string): NotifyResult => ({
    notificationId,
    status: 'sent',
    channels: { email: 'sent', sms: 'failed', push: 'sent' },
    fallbackUsed: [],
  });

  /**
   * The workflow's one activity. Plan, fan-out, fallback and completion are the delivery core's, run
   * whole inside it (test/e2e/notifications*.test.ts drive them through a real worker); runs from
   * before `notify-one-delivery` (a step per activity) are covered by the recorded histories
   * notify-fan-out and notify-fallback (test/replay). `calls` records every attempt.
   */
  function fakes(behaviour: (attempt: number) => void = () => undefined) {
    const calls: NotificationRequest[] = [];
    const unused = async () => {
      throw new Error('a new run schedules no step activity');
    };
    const activities: NotificationActivities = {
      planNotification: unused,
      sendEmail: unused,
      sendSms: unused,
      sendPush: unused,
      completeNotification: unused,
      deliverNotification: async (req) => {
        calls.push(req);
        behaviour(calls.length);
        return result(req.notificationId);
      },
    };
    return { activities, calls };
  }

  /** RECORD_HISTORIES=1 saves the run `notify-<id>` as test/replay/histories/<name>.json. */
  async function record(id: string, name: string) {
    if (!process.env.RECORD_HISTORIES) return;
    const history = await env.client.workflow.getHandle(`notify-${id}`).fetchHistory();
    fs.writeFileSync(path.join(__dirname, '../replay/histories', `${name}.json`), historyToJSON(history));
  }

  async function run(id: string, activities: NotificationActivities) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: id,
      workflowBundle: await workflowBundle(),
      activities,
    });
    return worker.runUntil(
      env.client.workflow.execute(notify, {
        taskQueue: id,
        workflowId: `notify-${id}`,
        args: [{ notificationId: id, userId: 'u1', event: 'kyc_approved', data: {} }],
      }),
    );
  }

  it('delivers the whole message in one activity and returns its result', async () => {
    const f = fakes();
    expect(await run('one', f.activities)).toEqual(result('one'));
    expect(f.calls).toEqual([{ notificationId: 'one', userId: 'u1', event: 'kyc_approved', data: {} }]);
    const { events } = await env.client.workflow.getHandle('notify-one').fetchHistory();
    const scheduled = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual([
      'deliverNotification',
    ]);
    // No local activity (plan/complete markers) and no step per channel: one activity task, 2 workflow tasks.
    expect((events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toEqual(
      [],
    );
    expect((events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(2);
    await record('one', 'notify-one-delivery');
  });

  it('re-runs the activity after a transient failure (a provider outage, a lost worker) until it succeeds', async () => {
    const f = fakes((n) => {
      if (n < 3) throw new Error('database unavailable');
    });
    expect(await run('transient', f.activities)).toEqual(result('transient'));
    expect(f.calls).toHaveLength(3);
  });

  it('does not retry a non-retryable failure', async () => {
    const f = fakes(() => {
      throw ApplicationFailure.create({ type: 'VALIDATION_ERROR', nonRetryable: true, message: 'bad request' });
    });
    await expect(run('final', f.activities)).rejects.toThrow();
    expect(f.calls).toHaveLength(1);
  });
});
