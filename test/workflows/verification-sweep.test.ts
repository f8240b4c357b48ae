import fs from 'node:fs';
import path from 'node:path';

import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { NotificationBatchActivities } from '../../activities/notifications/create-notification-batch-activities';
import type { VerificationSweepActivities } from '../../activities/verification/create-verification-sweep-activities';
import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import { notifyBatchWorkflowId } from '../../domain/contracts/notify-batch.contract';
import {
  type TenantDigest,
  verificationDigestBatchId,
  verificationDigestRequests,
} from '../../domain/contracts/verification-sweep.contract';
import { verificationSweep } from '../../workflows/verification-sweep';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';

const DIGESTS: TenantDigest[] = [
  { tenantId: 't1', officerIds: ['o1', 'o2'], overdue: 2, stuck: 1, sampleRequestIds: ['r1', 'r2', 'r3'] },
  { tenantId: 't2', officerIds: ['o3'], overdue: 0, stuck: 4, sampleRequestIds: ['r4'] },
];
const PAGE_SIZE = 2;

// The daily sweep, time-skipping: the sweep on its onboarding queue, the notify batch it starts on the
// notifications queue with a recording page activity; the digests' stored pages are kept in memory.
// RECORD_HISTORIES=1 saves the batch path's run for test/replay (verification-sweep-per-message.json
// is the run before `patched('digests-by-batch')`).
describe('verificationSweep workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  async function sweep(id: string, digests: TenantDigest[]) {
    const pages = new Map<string, NotificationRequest[]>();
    const delivered: NotificationRequest[] = [];
    const perMessage: NotificationRequest[] = [];
    const sweepActivities: Pick<
      VerificationSweepActivities,
      'buildVerificationDigests' | 'storeVerificationDigestBatch'
    > = {
      async buildVerificationDigests() {
        return digests;
      },
      async storeVerificationDigestBatch({ sweepWorkflowId }) {
        const batchId = verificationDigestBatchId(sweepWorkflowId);
        const recipients = verificationDigestRequests(sweepWorkflowId, digests);
        for (let i = 0; i * PAGE_SIZE < recipients.length; i++)
          pages.set(`${batchId}#${i}`, recipients.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
        const count = Math.ceil(recipients.length / PAGE_SIZE);
        return { batchId, pages: count, tenants: digests.length, notifications: recipients.length };
      },
    };
    const batchActivities: NotificationBatchActivities = {
      async deliverNotificationPage({ batchId, page }) {
        const recipients = pages.get(`${batchId}#${page}`) ?? [];
        delivered.push(...recipients);
        return { sent: recipients.length, failed: 0 };
      },
    };
    const bundle = await workflowBundle();
    const onboarding = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${id}-onboarding`,
      workflowBundle: bundle,
      activities: {
        ...sweepActivities,
        async requestNotification(req: NotificationRequest) {
          perMessage.push(req);
          return { notificationId: req.notificationId };
        },
      },
    });
    const notifications = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${id}-notifications`,
      workflowBundle: bundle,
      activities: batchActivities,
    });
    const out = await notifications.runUntil(
      onboarding.runUntil(async () => {
        const result = await env.client.workflow.execute(verificationSweep, {
          taskQueue: `${id}-onboarding`,
          workflowId: id,
        });
        // The batch is abandoned by the sweep: wait for it here.
        if ('batchId' in result && result.notifications > 0)
          await env.client.workflow.getHandle(notifyBatchWorkflowId(result.batchId)).result();
        return result;
      }),
    );
    delivered.sort((a, b) => a.notificationId.localeCompare(b.notificationId));
    return { out, delivered, perMessage };
  }

  it('sends a pass’s digests as one notify batch: one email per compliance officer, contents unchanged', async () => {
    const id = `sweep-${Date.now()}`;
    const { out, delivered, perMessage } = await sweep(id, DIGESTS);
    expect(out).toEqual({ tenants: 2, notifications: 3, batchId: `digests-${id}` });
    expect(perMessage).toEqual([]);
    expect(delivered).toEqual([
      {
        notificationId: `${id}.t1.o1`,
        userId: 'o1',
        event: 'compliance_digest',
        data: { overdue: '2', stuck: '1', sampleRequestIds: 'r1,r2,r3' },
        channels: ['email'],
      },
      expect.objectContaining({
        notificationId: `${id}.t1.o2`,
        userId: 'o2',
        data: expect.objectContaining({ overdue: '2' }),
      }),
      {
        notificationId: `${id}.t2.o3`,
        userId: 'o3',
        event: 'compliance_digest',
        data: { overdue: '0', stuck: '4', sampleRequestIds: 'r4' },
        channels: ['email'],
      },
    ]);
    // The batch is a workflow of its own (visible with its progress in the Temporal UI), two pages here.
    const batch = await env.client.workflow.getHandle(notifyBatchWorkflowId(`digests-${id}`)).result();
    expect(batch).toMatchObject({ pages: 2, pagesDone: 2, sent: 3, failed: 0, status: 'done' });

    if (process.env.RECORD_HISTORIES) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      fs.writeFileSync(
        path.join(__dirname, '../replay/histories', 'verification-sweep-digests-by-batch.json'),
        historyToJSON(history),
      );
    }
  });

  it('treats its batch already started (a retried pass) as its own and sends nothing twice', async () => {
    const id = `sweep-again-${Date.now()}`;
    const first = await sweep(id, DIGESTS);
    expect(first.delivered).toHaveLength(3);
    // The same pass id again: the batch `notify-batch-digests-<id>` exists, so no second batch runs.
    const again = await sweep(id, DIGESTS).catch((err: Error) => err);
    expect(again).not.toBeInstanceOf(Error);
    expect((again as Awaited<ReturnType<typeof sweep>>).delivered).toEqual([]);
  });

  it('starts no batch when no tenant has anything to report', async () => {
    const id = `sweep-empty-${Date.now()}`;
    const { out, delivered, perMessage } = await sweep(id, []);
    expect(out).toEqual({ tenants: 0, notifications: 0, batchId: `digests-${id}` });
    expect(delivered).toEqual([]);
    expect(perMessage).toEqual([]);
    await expect(env.client.workflow.getHandle(notifyBatchWorkflowId(`digests-${id}`)).describe()).rejects.toThrow();
  });
});
