import { randomUUID } from 'node:crypto';

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { UserActivities } from '../../activities/users/create-user-activities';
import type { StatusTransition } from '../../activities/users/status-transition';
import {
  ACCOUNT_WORKFLOW,
  type AccountInput,
  accountWorkflowId,
  changeUserStatusUpdate,
} from '../../domain/contracts/account.contract';
import { bridgeEventSignal } from '../../domain/contracts/onboarding.contract';
import { emptyBridgeState } from '../../domain/rules/onboarding/bridge';
import type { UserStatus } from '../../domain/vocabulary/users';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';

const MINUTE = 60_000;

// The per-user account workflow on the time-skipping server: one transition at a time, Bridge news
// after onboarding, and completion after being idle. Activities are faked with the real types.
describe('account workflow', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const queue = 'acwf-onboarding';
  const users = new Map<
    string,
    { status: UserStatus; transitions: StatusTransition[]; applied: [UserStatus, UserStatus][] }
  >();
  const user = (id: string) => users.get(id)!;

  const activities: Pick<UserActivities, 'transitionUserStatus' | 'readAccountStanding'> = {
    async transitionUserStatus(t) {
      const u = user(t.userId);
      const from = u.status;
      u.transitions.push(t);
      if (t.to === null || t.to === from) return { from, to: from, changed: false };
      u.status = t.to;
      u.applied.push([from, t.to]);
      return { from, to: t.to, changed: true };
    },
    async readAccountStanding({ userId }) {
      return {
        status: user(userId).status,
        rejectedByBridge: false,
        bridge: { ...emptyBridgeState(), kycStatus: 'approved', tosStatus: 'approved', kycAt: 1000, tosAt: 1000 },
      };
    },
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowBundle: await workflowBundle(),
      activities,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function start(status: UserStatus = 'active') {
    const userId = randomUUID();
    users.set(userId, { status, transitions: [], applied: [] });
    const input: AccountInput = { userId, idleMs: 10 * MINUTE };
    const handle = await env.client.workflow.start(ACCOUNT_WORKFLOW, {
      workflowId: accountWorkflowId(userId),
      taskQueue: queue,
      args: [input],
    });
    return { userId, handle };
  }
  const change = (to: UserStatus) => ({ to, actorId: 'admin-1', reason: 'test', requestId: null });

  it('applies concurrent admin changes one at a time, each seeing the one before', async () => {
    const { userId, handle } = await start();
    const results = await Promise.all(
      (['inactive', 'active', 'rejected', 'active'] as UserStatus[]).map((to) =>
        handle.executeUpdate(changeUserStatusUpdate, { args: [change(to)] }),
      ),
    );
    // In the order applied, each change starts from the status the one before left.
    const applied = user(userId).applied;
    expect(applied.length).toBe(results.filter((r) => r.changed).length);
    applied.forEach(([from], i) => expect(from).toBe(i === 0 ? 'active' : applied[i - 1][1]));
    expect(user(userId).status).toBe(applied[applied.length - 1][1]);
    // Deterministic audit ids: workflow id + run + a per-run sequence.
    const ids = user(userId).transitions.map((t) => t.transitionId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(new RegExp(`^account-${userId}\\.[0-9a-f-]+\\.admin\\.1$`));
    // An unknown status is refused by the validator, before anything runs.
    await expect(
      handle.executeUpdate(changeUserStatusUpdate, { args: [change('bogus' as UserStatus)] }),
    ).rejects.toThrow();
  });

  it('rejects an offboarded customer and ignores older Bridge news', async () => {
    const { userId, handle } = await start('active');
    await handle.signal(bridgeEventSignal, {
      eventId: 'wh_old',
      createdAtMs: 500,
      kycStatus: 'rejected',
      tosStatus: null,
      rejectionReasons: [],
    });
    await handle.signal(bridgeEventSignal, {
      eventId: 'wh_off',
      createdAtMs: 2000,
      kycStatus: 'offboarded',
      tosStatus: null,
      rejectionReasons: ['closed'],
    });
    await handle.signal(bridgeEventSignal, {
      eventId: 'wh_off',
      createdAtMs: 2000,
      kycStatus: 'offboarded',
      tosStatus: null,
      rejectionReasons: ['closed'],
    });
    await env.sleep(MINUTE);
    expect(user(userId).status).toBe('rejected');
    const writes = user(userId).transitions;
    // The older `rejected` changed nothing; the duplicate was taken once.
    expect(writes.map((t) => [t.to, t.cause, t.bridge?.kycStatus])).toEqual([['rejected', 'bridge', 'offboarded']]);
  });

  it('completes after being idle, and every change restarts the idle clock', async () => {
    const { handle } = await start();
    await env.sleep(9 * MINUTE);
    await handle.executeUpdate(changeUserStatusUpdate, { args: [change('inactive')] });
    await env.sleep(9 * MINUTE);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await env.sleep(2 * MINUTE);
    await handle.result();
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
});
