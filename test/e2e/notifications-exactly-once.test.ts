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

  /** The notifications worker as its own process (`npm start`'s), so it can be SIGKILLed. */
  const spawnWorker = async (extraEnv: Record<string, string> = {}) => {
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
      ...extraEnv,
    };
    const root = path.resolve(__dirname, '../..');
    child = spawn(process.execPath, ['--import', 'tsx', 'services/notifications-worker/main.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      readline
        .createInterface({ input: proc.stdout! })
        .on('line', (line) => line.includes('worker started') && resolve());
      proc.on('exit', () => reject(new Error('worker process exited before it started')));
    });
    return { proc, exited };
  };

  // The kill tests get 180 s: a spawned worker's start (tsx) and a page's heartbeat timeout (10 s) on a loaded machine.
  it('a worker killed between the provider call and recording the result does not send twice', async () => {
    const { config } = n.stack.deps;
    const { proc: victim, exited } = await spawnWorker();
    const phone = '+2348011110001';
    const { user } = await userWithToken(n.stack.deps.models, config, { phone } as never);
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
    // The sandbox sends Twilio's `sent` callback, then `delivered`: the first lets the retried
    // activity reconcile and the notification complete, so `delivered` can land after it.
    await eventually(
      async () => (await readDelivery(n.stack.deps.models, key))?.status === 'delivered',
      30_000,
      'the delivered callback recorded',
    );
    expect(await readDelivery(n.stack.deps.models, key)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      providerMessageId: expect.stringMatching(/^SM/),
    });
  }, 180_000);

  it('a worker killed -9 in the middle of a batch: a new worker resumes it, every message sent exactly once', async () => {
    const { config, models } = n.stack.deps;
    // 4 messages at a time, so the kill finds messages done, in flight and not begun.
    const { proc: victim, exited } = await spawnWorker({ NOTIFY_BATCH_CONCURRENCY: '4' });
    const users = [];
    for (let i = 0; i < 40; i++)
      users.push((await userWithToken(models, config, { phone: `+23480222${String(10000 + i)}` } as never)).user);
    // Killed when the provider accepts the 15th user's SMS: some messages are done, some in flight, most not begun.
    outbox.trip = { to: users[14].phone!, action: () => victim.kill('SIGKILL') };
    const res = await request(`${n.stack.url}/users/notifications/kyc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${n.serviceToken}` },
      json: { userIds: users.map((u) => u._id), status: 'approved', channels: ['email', 'sms'] },
    });
    expect(res.status).toBe(202);
    const ids = (res.json.data.notifications as { notificationId: string }[]).map((x) => x.notificationId);
    expect(await exited).toBe('SIGKILL');
    const before = users.filter((u) => outbox.list({ to: u.phone! }).length > 0).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(users.length);

    // The page activity times out on its heartbeat and is retried on the new worker, from its last progress.
    const replacement = await runWorker();
    try {
      // A message the kill caught between its claim and the provider call has no callback coming: the
      // ledger lets it be resent only after NOTIFY_RECONCILE_WINDOW_MS (60 s), hence the longer wait.
      for (const id of ids)
        await eventually(
          async () => (await n.stack.deps.models.Notification.findById(id).lean())?.status === 'sent',
          150_000,
          `notification ${id} sent`,
        );
    } finally {
      await replacement.stop();
    }
    for (const u of users) {
      expect(outbox.list({ to: u.phone! })).toHaveLength(1);
      expect(outbox.list({ to: u.email })).toHaveLength(1);
    }
  }, 300_000);

  // A bulk message is one batch page activity (not one activity per channel): its result lost after the
  // sends, the retried page sends nothing again (the ledger finds each delivery sent).
  it('an activity retried after the provider call (completion lost) does not send twice', async () => {
    const attemptsSeen: number[] = [];
    const flaky = await runWorker({
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: {
              async execute(input, next) {
                const result = await next(input);
                if (ctx.info.activityType === 'deliverNotificationPage') {
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
      // The message completed inside the first attempt; the page's retry comes after its result was lost.
      await eventually(async () => attemptsSeen.length >= 2 || undefined, 30_000, 'the page retried');
      expect(attemptsSeen).toEqual([1, 2]);
      expect(outbox.list({ to: user.email })).toHaveLength(1);
    } finally {
      await flaky.stop();
    }
  });
});
