import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { NotificationBatchActivities } from '../../activities/notifications/create-notification-batch-activities';
import type { BatchPageInput, BatchProgress } from '../../domain/contracts/notify-batch.contract';
import { notifyBatch, progressQuery } from '../../workflows/notify-batch';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';

describe('notifyBatch workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  const worker = async (id: string, activities: NotificationBatchActivities) =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: id,
      workflowBundle: await workflowBundle(),
      activities,
    });

  it('delivers every page once, in runs of at most 200 pages (continue-as-new), and totals them', async () => {
    const id = `batch-${Date.now()}`;
    const pages: number[] = [];
    const w = await worker(id, {
      async deliverNotificationPage({ page }: BatchPageInput) {
        pages.push(page);
        return { sent: 2, failed: page === 3 ? 1 : 0 };
      },
    });
    const result = await w.runUntil(
      env.client.workflow.execute(notifyBatch, { taskQueue: id, workflowId: id, args: [{ batchId: id, pages: 230 }] }),
    );
    expect([...pages].sort((a, b) => a - b)).toEqual(Array.from({ length: 230 }, (_, i) => i));
    expect(result).toEqual({ batchId: id, pages: 230, pagesDone: 230, status: 'done', sent: 460, failed: 1 });
    // The first run handed over to a second one, carrying its totals.
    const first = await env.client.workflow.getHandle(id).describe();
    expect(first.status.name).toBe('COMPLETED');
  });

  it('answers the progress query while pages are still being delivered', async () => {
    const id = `batch-progress-${Date.now()}`;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = await worker(id, {
      async deliverNotificationPage({ page }: BatchPageInput) {
        if (page >= 2) await gate;
        return { sent: 1, failed: 0 };
      },
    });
    await w.runUntil(async () => {
      const handle = await env.client.workflow.start(notifyBatch, {
        taskQueue: id,
        workflowId: id,
        args: [{ batchId: id, pages: 4 }],
      });
      // Real-time polls (10 s was tight on a loaded machine); page 3 is held, so 2 is where it stops.
      const progress: BatchProgress = await waitFor(
        () => handle.query(progressQuery),
        (p) => p.pagesDone >= 2,
        30_000,
      );
      expect(progress).toEqual({ batchId: id, pages: 4, pagesDone: 2, status: 'running', sent: 2, failed: 0 });
      release();
      expect(await handle.result()).toMatchObject({ pagesDone: 4, status: 'done', sent: 4 });
    });
  });
});
