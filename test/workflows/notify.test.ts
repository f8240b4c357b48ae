import fs from 'node:fs';
import path from 'node:path';

import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { NotificationActivities } from '../../activities/notifications/create-notification-activities';
import type { Channel, ChannelSendInput, NotificationPlan } from '../../domain/contracts/notify.contract';
import { notify } from '../../workflows/notify';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';

describe('notify workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  const permanent = (code: string) =>
    ApplicationFailure.create({ type: 'PERMANENT_PROVIDER_ERROR', nonRetryable: true, message: code, details: [code] });

  /** Activities with per-channel behaviour; `calls` records every attempt in order. */
  function fakes(plan: NotificationPlan, behaviour: Partial<Record<Channel, (attempt: number) => void>>) {
    const calls: string[] = [];
    const attempts: Record<string, number> = {};
    const sender = (channel: Channel) => async (input: ChannelSendInput) => {
      attempts[channel] = (attempts[channel] ?? 0) + 1;
      calls.push(`${channel}${input.fallbackFor ? `(fallback for ${input.fallbackFor.join('+')})` : ''}`);
      behaviour[channel]?.(attempts[channel]);
      return { providerMessageId: `${channel}-id`, alreadySent: false };
    };
    const activities: NotificationActivities = {
      planNotification: async () => plan,
      sendEmail: sender('email'),
      sendSms: sender('sms'),
      sendPush: sender('push'),
      completeNotification: async ({ status }) => void calls.push(`complete:${status}`),
    };
    return { activities, calls, attempts };
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

  it('fans out to every selected channel and does not fall back when one got through', async () => {
    const f = fakes(
      { selected: ['email', 'sms', 'push'], fallback: [] },
      {
        sms: () => {
          throw permanent('TWILIO_21211');
        },
      },
    );
    const result = await run('fanout', f.activities);
    expect(result).toEqual({
      notificationId: 'fanout',
      status: 'sent',
      channels: { email: 'sent', sms: 'failed', push: 'sent' },
      fallbackUsed: [],
    });
    expect(f.attempts.sms).toBe(1); // permanent: not retried
    await record('fanout', 'notify-fan-out');
  });

  it('retries a transient failure of one channel until it succeeds', async () => {
    const f = fakes(
      { selected: ['email'], fallback: ['sms'] },
      {
        email: (n) => {
          if (n < 3) throw new Error('provider busy');
        },
      },
    );
    const result = await run('transient', f.activities);
    expect(result.status).toBe('sent');
    expect(f.attempts.email).toBe(3);
    expect(f.calls).not.toContain('sms(fallback for email)');
  });

  it('falls back in the configured order, one channel at a time, until one succeeds', async () => {
    const f = fakes(
      { selected: ['push'], fallback: ['sms', 'email'] },
      {
        push: () => {
          throw permanent('UNREGISTERED');
        },
        sms: () => {
          throw permanent('TWILIO_21610');
        },
      },
    );
    const result = await run('fallback', f.activities);
    expect(result).toMatchObject({
      status: 'sent',
      channels: { push: 'failed', sms: 'failed', email: 'sent' },
      fallbackUsed: ['sms', 'email'],
    });
    expect(f.calls).toEqual(['push', 'sms(fallback for push)', 'email(fallback for push)', 'complete:sent']);
    await record('fallback', 'notify-fallback');
  });

  it('completes as failed when nothing can be delivered', async () => {
    const f = fakes(
      { selected: ['email'], fallback: [] },
      {
        email: () => {
          throw permanent('UNSUBSCRIBED');
        },
      },
    );
    expect(await run('nothing', f.activities)).toMatchObject({ status: 'failed', channels: { email: 'failed' } });
    expect(f.calls).toEqual(['email', 'complete:failed']);
  });
});
