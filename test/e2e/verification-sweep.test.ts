import { randomInt } from 'node:crypto';

import { verificationSweepScheduleId } from '../../domain/contracts/verification-sweep.contract';
import { ensureSchedules } from '../../services/common/schedules';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { userWithToken } from '../helpers/auth';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';
import type { TestStack } from '../helpers/stack';

// The digests go out as one notify batch (patched 'digests-by-batch'): the notifications worker runs
// it and the sandbox's outbox is where a digest is seen, with its ledger record.
describe('daily verification sweep (Temporal Schedule)', () => {
  let n: NotificationsStack;
  let stack: TestStack;
  beforeAll(async () => {
    n = await startNotificationsStack({ workers: [onboardingWorkerSpec, notificationsWorkerSpec] });
    stack = n.stack;
  });
  afterAll(async () => {
    await stack.deps.temporal.schedule
      .getHandle(verificationSweepScheduleId(stack.deps.config.TASK_QUEUE_PREFIX))
      .delete()
      .catch(() => undefined);
    await n?.close();
  });

  it('is created idempotently and digests overdue and stuck requests to compliance officers', async () => {
    const { models, config, temporal } = stack.deps;
    const org = await models.Organization.create({ name: 'Bank', slug: `sweep-${randomInt(1e9)}` });
    const officer = await userWithToken(models, config, {
      tenantId: org._id,
      userType: 'staff',
      role: 'org-staff',
      staffRole: 'COMPLIANCE_OFFICER',
    });
    const analyst = await userWithToken(models, config, {
      tenantId: org._id,
      userType: 'staff',
      role: 'org-staff',
      staffRole: 'ANALYST',
    });
    const hourAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const base = { tenantId: org._id, userId: 'u', types: ['bvn'], createdBy: officer.user._id, maxSubmissions: 3 };
    const lock = () => ({ lockBvn: `l-${randomInt(1e12)}`, lockNin: `l-${randomInt(1e12)}` });
    await models.VerificationRequest.create({
      ...base,
      ...lock(),
      status: 'notified',
      statusAt: hourAgo(200),
      dueAt: hourAgo(1),
    }); // overdue
    await models.VerificationRequest.create({
      ...base,
      ...lock(),
      status: 'verifying',
      statusAt: hourAgo(3),
      dueAt: hourAgo(-48),
    }); // stuck
    await models.VerificationRequest.create({
      ...base,
      ...lock(),
      status: 'notified',
      statusAt: hourAgo(1),
      dueAt: hourAgo(-48),
    }); // fine

    expect((await ensureSchedules(temporal, config))[0]).toMatch(/^created/);
    expect((await ensureSchedules(temporal, config))[0]).toMatch(/^kept/);
    const handle = temporal.schedule.getHandle(verificationSweepScheduleId(config.TASK_QUEUE_PREFIX));
    const described = await handle.describe();
    expect(described.action).toMatchObject({ workflowType: 'verificationSweep' });

    await handle.trigger();
    // A triggered schedule starts the sweep, which reads, digests and starts the batch: a loaded
    // 2-core machine running the whole suite needs more than 10 s.
    const mails = await eventually(
      async () => {
        const m = n.outbox.list({ to: officer.user.email });
        return m.length ? m : undefined;
      },
      45_000,
      'the compliance digest email',
    );
    expect(mails).toEqual([
      expect.objectContaining({
        channel: 'email',
        subject: 'Compliance digest: 1 overdue, 1 stuck verification requests',
      }),
    ]);
    // One message to the officer, none to the analyst; its ledger record carries the pass's id and the tenant.
    const digests = await models.Notification.find({ userId: officer.user._id, event: 'compliance_digest' }).lean();
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ userId: officer.user._id, requestedChannels: ['email'] });
    expect(String(digests[0]._id)).toContain(org._id);
    expect(await models.Notification.countDocuments({ userId: analyst.user._id })).toBe(0);
  });
});
