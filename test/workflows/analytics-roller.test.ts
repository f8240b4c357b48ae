import fs from 'node:fs';
import path from 'node:path';

import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { AnalyticsActivities } from '../../activities/analytics/create-analytics-activities';
import { analyticsRollerStateQuery, rebuildAnalyticsSignal } from '../../domain/contracts/analytics-roller.contract';
import { analyticsRoller } from '../../workflows/analytics-roller';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';

describe('analyticsRoller workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  it('folds until the outbox is empty, sleeps, and rebuilds on the signal (never both at once)', async () => {
    const calls: string[] = [];
    let pending = [5, 2];
    let running = 0;
    const activities: AnalyticsActivities = {
      async foldAnalytics() {
        running++;
        calls.push('fold');
        const n = pending.shift() ?? 0;
        running--;
        return n;
      },
      async rebuildAnalytics() {
        expect(running).toBe(0);
        calls.push('rebuild');
        return { users: 1, verificationRequests: 0, transactions: 0, counterDocs: 1 };
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'roller',
      workflowBundle: await workflowBundle(),
      activities,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(analyticsRoller, {
        taskQueue: 'roller',
        workflowId: 'analytics-roller-1',
        args: [{ intervalMs: 60_000 }],
      });
      const state = () => handle.query(analyticsRollerStateQuery);
      // Real-time polls with room for a loaded machine (the time-skipping server does not skip here).
      await waitFor(state, (st) => st.folded >= 7, 30_000);
      // The empty third round comes after the second round's count is visible: wait for its call.
      await waitFor(
        () => calls.length,
        (n) => n >= 3,
        30_000,
      );
      expect(await state()).toEqual({ rebuilds: 0, folded: 7, rebuildPending: false });
      // Two full rounds then an empty one: now it waits out the interval instead of spinning.
      expect(calls).toEqual(['fold', 'fold', 'fold']);
      await handle.signal(rebuildAnalyticsSignal);
      await waitFor(state, (st) => st.rebuilds >= 1, 30_000);
      expect((await state()).rebuilds).toBe(1);
      pending = [4];
      await env.sleep('61 seconds');
      await waitFor(state, (st) => st.folded >= 11, 30_000);
      expect(await state()).toEqual({ rebuilds: 1, folded: 11, rebuildPending: false });
      expect(calls.slice(0, 4)).toEqual(['fold', 'fold', 'fold', 'rebuild']);
      if (process.env.RECORD_HISTORIES) {
        const file = path.join(__dirname, '../replay/histories/analytics-roller.json');
        fs.writeFileSync(file, JSON.stringify(JSON.parse(historyToJSON(await handle.fetchHistory())), null, 1));
      }
      await handle.terminate('test done');
    });
  }, 120_000);
});
