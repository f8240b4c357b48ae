import { randomInt } from 'node:crypto';

import { verificationSweepScheduleId } from '../../domain/contracts/verification-sweep.contract';
import { ensureSchedules } from '../../services/common/schedules';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { userWithToken } from '../helpers/auth';
import { withRecordedNotifications } from '../helpers/recorded-notifications';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

describe('daily verification sweep (Temporal Schedule)', () => {
  let stack: TestStack;
  const { spec, sent } = withRecordedNotifications(onboardingWorkerSpec);
  beforeAll(async () => {
    stack = await startTestStack({ workers: [spec] });
  });
  afterAll(async () => {
    await stack.deps.temporal.schedule
      .getHandle(verificationSweepScheduleId(stack.deps.config.TASK_QUEUE_PREFIX))
      .delete()
      .catch(() => undefined);
    await stack?.close();
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
    await userWithToken(models, config, {
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
    // A triggered schedule starts the sweep, which reads and then digests: 10 s was too tight for a
    // loaded 2-core machine running the whole suite.
    const digests = await waitFor(
      () => sent.filter((n) => n.event === 'compliance_digest'),
      (d) => d.length > 0,
      45_000,
    );
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({
      userId: officer.user._id,
      channels: ['email'],
      data: { overdue: '1', stuck: '1' },
    });
    expect(digests[0].notificationId).toContain(org._id);
  });
});
