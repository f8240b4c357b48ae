import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import { readDelivery } from '../../adapters/notifications/delivery-ledger';
import { createWorker } from '../../services/common/worker-runner';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { Outbox, type OutboxMessage } from '../../services/sandbox/outbox';
import { userWithToken } from '../helpers/auth';
import { TEST_SECRETS } from '../helpers/config';
import { request } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';
import { connectTestTemporal, workflowBundle } from '../helpers/temporal';

/** An outbox that can SIGKILL a process the moment the provider has accepted a given message. */
class TrippingOutbox extends Outbox {
  trip?: { to: string; action: () => void };
  override add(msg: OutboxMessage): void {
    super.add(msg);
    if (this.trip && msg.to === this.trip.to) {
      const { action } = this.trip;
      this.trip = undefined;
      action(); // before the provider's HTTP response is written
    }
  }
}

describe('notifications are sent exactly once', () => {
  const outbox = new TrippingOutbox();
  let n: NotificationsStack;
  let temporal: Awaited<ReturnType<typeof connectTestTemporal>>;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    // No notifications worker in-process: each test brings its own.
    n = await startNotificationsStack({ workers: [onboardingWorkerSpec], outbox });
    temporal = await connectTestTemporal(n.stack.deps.config.TEMPORAL_ADDRESS);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await temporal?.close();
    await n?.close();
  });

  const runWorker = async (overrides: Parameters<typeof createWorker>[3] = {}) => {
    const worker = await createWorker(notificationsWorkerSpec, n.stack.deps, temporal.nativeConnection, {
      workflowBundle: await workflowBundle(),
      ...overrides,
    });
    const running = worker.run();
    return { worker, stop: async () => (worker.shutdown(), await running) };
  };
  const sendKyc = async (userId: string, channels: string[]) => {
    const res = await request(`${n.stack.url}/users/notifications/kyc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.serviceToken}` },
      json: { userIds: [userId], status: 'approved', channels },
    });
    expect(res.status).toBe(202);
    return res.json.data.notifications[0].notificationId as string;
  };
  const completed = (notificationId: string) =>
    eventually(
      async () => {
        const doc = await n.stack.deps.models.Notification.findById(notificationId).lean();
        return doc?.status !== 'pending' && doc?.status ? doc : undefined;
      },
      45_000,
      'notification completion',
    );

  it('a worker killed between the provider call and recording the result does not send twice', async () => {
    const { config, db } = n.stack.deps;
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      MONGODB_URI: `${config.MONGODB_URI.replace(/\/$/, '')}/${db.name}`,
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TASK_QUEUE_PREFIX: config.TASK_QUEUE_PREFIX,
      API_PUBLIC_URL: config.API_PUBLIC_URL,
      SANDBOX_URL: config.SANDBOX_URL,
      ...TEST_SECRETS,
    };
    const root = path.resolve(__dirname, '../..');
    child = spawn(process.execPath, ['--import', 'tsx', 'services/notifications-worker/main.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child!.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      readline
        .createInterface({ input: child!.stdout! })
        .on('line', (line) => line.includes('worker started') && resolve());
      child!.on('exit', () => reject(new Error('worker process exited before it started')));
    });

    const phone = '+2348011110001';
    const { user } = await userWithToken(n.stack.deps.models, config, { phone } as never);
    const victim = child;
    outbox.trip = { to: phone, action: () => victim.kill('SIGKILL') };
    const notificationId = await sendKyc(user._id, ['sms']);

    expect(await exited).toBe('SIGKILL');
    // The provider has the message; the dead worker never recorded it nor completed the activity.
    expect(outbox.list({ to: phone })).toHaveLength(1);
    const key = `${notificationId}.sms`;
    expect((await readDelivery(n.stack.deps.models, key))?.attempts).toBe(1);
    // Only the provider's callback can have reported it; the worker died before it could.
    expect((await n.stack.deps.models.NotificationDeliveryEvent.findById(`${key}:sent`).lean())?.source).not.toBe(
      'worker',
    );

    // A new worker takes over: the retried activity reconciles through the signed status callback.
    const replacement = await runWorker();
    try {
      expect((await completed(notificationId)).status).toBe('sent');
    } finally {
      await replacement.stop();
    }
    expect(outbox.list({ to: phone })).toHaveLength(1);
    expect(await readDelivery(n.stack.deps.models, key)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      providerMessageId: expect.stringMatching(/^SM/),
    });
  });

  it('an activity retried after the provider call (completion lost) does not send twice', async () => {
    const attemptsSeen: number[] = [];
    const flaky = await runWorker({
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: {
              async execute(input, next) {
                const result = await next(input);
                if (ctx.info.activityType === 'sendEmail') {
                  attemptsSeen.push(ctx.info.attempt);
                  if (ctx.info.attempt === 1) throw new Error('worker lost the activity result');
                }
                return result;
              },
            },
          }),
        ],
      },
    });
    try {
      const { user } = await userWithToken(n.stack.deps.models, n.stack.deps.config);
      const notificationId = await sendKyc(user._id, ['email']);
      expect((await completed(notificationId)).status).toBe('sent');
      expect(attemptsSeen).toEqual([1, 2]);
      expect(outbox.list({ to: user.email })).toHaveLength(1);
    } finally {
      await flaky.stop();
    }
  });
});
