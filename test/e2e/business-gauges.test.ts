import { randomUUID } from 'node:crypto';

import { workflowTaskProblemQuery } from '../../adapters/business-gauges/workflow-task-problems';
import { taskQueues } from '../../domain/task-queues';
import { createApp } from '../../services/api/app';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { postVeriffToCrashedInstance } from '../helpers/api-instances';
import { userWithToken } from '../helpers/auth';
import { listen, request } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';

// The business gauges of GET /metrics (docs/alerts.md) move with what happens through the public
// surfaces: a webhook left unsignalled, deliveries that fail, a workflow whose tasks fail.
describe('business gauges on /metrics', () => {
  let n: NotificationsStack;
  beforeAll(async () => {
    n = await startNotificationsStack({
      workers: [onboardingWorkerSpec, notificationsWorkerSpec],
      // A pending webhook is the sweeper's after 1 s, and a pass is due every second: lag shows quickly.
      config: { WEBHOOK_SWEEP_AFTER_SECONDS: '1', WEBHOOK_SWEEP_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(() => n?.close());

  /** One scrape of a fresh API instance on the same database and Temporal (its readings start cold). */
  async function scrape(deps = n.stack.deps): Promise<(name: string, labels?: string) => number | undefined> {
    const server = await listen(createApp(deps));
    try {
      const res = await request(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      return (name, labels) => {
        const line = res.text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
        return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
      };
    } finally {
      await server.close();
    }
  }

  it('start at zero and fresh on an idle system', async () => {
    const g = await scrape();
    expect([
      g('kyc_webhook_pending_signals'),
      g('kyc_webhook_pending_oldest_age_seconds'),
      g('kyc_webhook_sweeper_lag_seconds'),
    ]).toEqual([0, 0, 0]);
    expect(['email', 'sms', 'push'].map((c) => g('kyc_notification_failures_recent', `channel="${c}"`))).toEqual([
      0, 0, 0,
    ]);
    expect(
      ['webhook_backlog', 'notification_failures', 'workflow_task_problems'].map((s) =>
        g('kyc_business_gauge_stale', `source="${s}"`),
      ),
    ).toEqual([0, 0, 0]);
    expect(g('kyc_workflow_task_problems', 'category="WorkflowTaskFailed"')).toEqual(expect.any(Number));
  });

  it('count an acknowledged webhook whose signal never went out, its age, and the sweeper lag once it is overdue', async () => {
    // An instance that "crashes" between the 200 and the signal acknowledges it and leaves it pending.
    const userId = randomUUID();
    const res = await postVeriffToCrashedInstance(n.stack.deps, {
      id: randomUUID(),
      attemptId: 'att-1',
      feature: 'selfid',
      code: 7002,
      action: 'submitted',
      vendorData: userId,
      endUserId: userId,
    });
    expect(res.status).toBe(200);
    const fresh = await scrape();
    expect(fresh('kyc_webhook_pending_signals')).toBe(1);
    expect(fresh('kyc_webhook_pending_oldest_age_seconds')).toBeLessThan(2);
    expect(fresh('kyc_webhook_sweeper_lag_seconds')).toBe(0);
    await new Promise((r) => setTimeout(r, 3_500));
    const overdue = await scrape();
    expect(overdue('kyc_webhook_pending_oldest_age_seconds')).toBeGreaterThanOrEqual(3.5);
    // Due for the sweeper at 1 s + one 1 s interval: lag is the rest of its age.
    expect(overdue('kyc_webhook_sweeper_lag_seconds')).toBeCloseTo(
      overdue('kyc_webhook_pending_oldest_age_seconds')! - 2,
      0,
    );
  });

  it('count failed deliveries per channel', async () => {
    const owner = await userWithToken(n.stack.deps.models, n.stack.deps.config, { phone: '+15005550001' } as never); // Twilio's invalid number
    const stale = `unregistered-${owner.user._id}`; // the sandbox's FCM answers UNREGISTERED for it
    expect(
      (
        await request(`${n.stack.url}/users/${owner.user._id}/devices`, {
          method: 'POST',
          headers: owner.headers,
          json: { token: stale, platform: 'ios' },
        })
      ).status,
    ).toBe(201);
    const svc = { authorization: `Bearer ${n.serviceToken}` };
    const res = await request(`${n.stack.url}/users/notifications/kyc`, {
      method: 'POST',
      headers: svc,
      json: { userIds: [owner.user._id], status: 'review', channels: ['push'] },
    });
    const id = res.json.data.notifications[0].notificationId;
    await eventually(
      async () => {
        const r = await request(`${n.stack.url}/users/notifications/${id}`, { headers: svc });
        return r.json?.data?.status === 'sent';
      },
      30_000,
      'notification sent',
    );
    // push failed (stale token), SMS failed (invalid number), email delivered the fallback.
    const g = await scrape();
    expect(['email', 'sms', 'push'].map((c) => g('kyc_notification_failures_recent', `channel="${c}"`))).toEqual([
      0, 1, 1,
    ]);
  });

  it('count running workflows that Temporal flags for failing workflow tasks', async () => {
    const { temporal, config } = n.stack.deps;
    // A workflow type no worker knows: the onboarding worker fails each of its workflow tasks.
    const handle = await temporal.workflow.start('noSuchWorkflowType', {
      taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
      workflowId: `broken-${randomUUID()}`,
      args: [],
    });
    try {
      const query = `${workflowTaskProblemQuery('WorkflowTaskFailed')} AND WorkflowId = '${handle.workflowId}'`;
      await eventually(
        async () => (await temporal.workflow.count(query)).count === 1,
        120_000,
        'Temporal flags the run',
      );
      // The gauge counts the namespace (other test files may add their own): at least this run.
      const g = await scrape();
      expect(g('kyc_workflow_task_problems', 'category="WorkflowTaskFailed"')).toBeGreaterThanOrEqual(1);
      expect(g('kyc_business_gauge_stale', 'source="workflow_task_problems"')).toBe(0);
    } finally {
      await handle.terminate('test over');
    }
  }, 150_000);
});
