import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { ApplicationFailure } from '@temporalio/activity';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import {
  type CheckOutcome,
  type PartnerKycActivities,
  type PartnerKycProviderActivities,
  partnerKycWorkflowId,
  submitDocumentSignal,
  tierPassedSignal,
  transactionHoldWorkflowId,
} from '../../domain/contracts/partner-kyc.contract';
import type { KycTier } from '../../domain/partner-kyc/types';
import { partnerKyc } from '../../workflows/partner-kyc';
import { transactionHold } from '../../workflows/transaction-hold';
import { createTimeSkippingEnv, testDataConverter } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';
import { runPartnerKycWorkers } from './partner-kyc-workers';

const HOUR = 3_600_000;
const APPROVED: CheckOutcome = { decision: 'approved', description: 'Exact Match', resultCode: '1012' };

describe('partner KYC workflows (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv({ dataConverter: testDataConverter() });
  });
  afterAll(() => env?.teardown());

  async function saveHistory(workflowId: string, name: string) {
    if (!process.env.RECORD_HISTORIES) return;
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    fs.writeFileSync(path.join(__dirname, '../replay/histories', `${name}.json`), historyToJSON(history));
  }

  interface Harness {
    checked: string[];
    recorded: { submissionId: string; outcome: CheckOutcome }[];
    settled: { transactionId: string; outcome: string; at: number }[];
    notifications: NotificationRequest[];
    tier: KycTier;
    held: string[];
  }

  async function withWorkers<T>(
    opts: { basic?: (submissionId: string) => Promise<CheckOutcome>; tier?: KycTier },
    body: (h: Harness, prefix: string) => Promise<T>,
  ) {
    const prefix = `pk${randomUUID().slice(0, 8)}-`;
    const h: Harness = {
      checked: [],
      recorded: [],
      settled: [],
      notifications: [],
      tier: opts.tier ?? 'none',
      held: [],
    };
    const db: PartnerKycActivities = {
      async beginPartnerKycCheck({ submissionId }) {
        return { documentType: submissionId.startsWith('adv') ? 'advanced' : 'basic' };
      },
      async recordPartnerKycOutcome({ submissionId, outcome }) {
        h.recorded.push({ submissionId, outcome });
        if (outcome.decision === 'approved')
          h.tier = submissionId.startsWith('adv') ? 'advanced' : h.tier === 'advanced' ? 'advanced' : 'basic';
        return { passedTier: h.tier, heldTransactionIds: h.held };
      },
      async currentPartnerTier() {
        return h.tier;
      },
      async settleHeldTransaction({ transactionId, outcome }) {
        h.settled.push({ transactionId, outcome, at: await env.currentTimeMs() });
      },
    };
    const provider: PartnerKycProviderActivities = {
      async verifyBasicDocument({ submissionId }) {
        h.checked.push(submissionId);
        return (opts.basic ?? (async () => APPROVED))(submissionId);
      },
      async submitDocumentJob({ submissionId }) {
        return { jobId: submissionId };
      },
      async documentJobResult({ submissionId }) {
        h.checked.push(submissionId);
        return { decision: 'approved', description: 'Document Verified', resultCode: '0810' };
      },
    };
    return runPartnerKycWorkers(env, prefix, { activities: db, provider, notifications: h.notifications }, () =>
      body(h, prefix),
    );
  }

  it('partnerKyc: submissions during a check queue (latest wins), each outcome recorded and notified; completes when idle', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await withWorkers(
      {
        basic: async (id) => {
          if (id === 's1') await gate;
          return id === 's1' ? { decision: 'rejected', description: 'No Match', resultCode: '1012' } : APPROVED;
        },
      },
      async (h, prefix) => {
        const workflowId = partnerKycWorkflowId(`u-${prefix}`, '67da909b739fc481aa525c45');
        const start = (submissionId: string) =>
          env.client.workflow.signalWithStart(partnerKyc, {
            workflowId,
            taskQueue: `${prefix}onboarding`,
            args: [{ userId: `u-${prefix}`, tenantId: 't1', documentId: '67da909b739fc481aa525c45', idleMinutes: 30 }],
            signal: submitDocumentSignal,
            signalArgs: [{ submissionId }],
          });
        await start('s1');
        // s1 must be in its check before s2 and s3 arrive (5 s was tight on a loaded machine).
        await waitFor(
          () => h.checked.length,
          (n) => n > 0,
          30_000,
        );
        await start('s2'); // superseded by s3 before it is checked
        await start('s3');
        release();
        const result = await env.client.workflow.getHandle(workflowId).result();
        expect(h.checked).toEqual(['s1', 's3']);
        expect(h.recorded.map((r) => [r.submissionId, r.outcome.decision])).toEqual([
          ['s1', 'rejected'],
          ['s3', 'approved'],
        ]);
        expect(h.notifications.map((n) => n.event)).toEqual(['kyc_declined', 'kyc_approved']);
        expect(h.notifications[0].data).toEqual({ reason: 'No Match' });
        expect(result).toEqual({ checked: 2, last: APPROVED });
        await saveHistory(workflowId, 'partner-kyc-rejected-then-approved');
      },
    );
  });

  it('partnerKyc: a provider that stays down ends as a rejection the partner can resubmit after', async () => {
    await withWorkers(
      {
        basic: async () => {
          throw ApplicationFailure.create({ type: 'PERMANENT_PROVIDER_ERROR', message: 'down', nonRetryable: true });
        },
      },
      async (h, prefix) => {
        const handle = await env.client.workflow.signalWithStart(partnerKyc, {
          workflowId: partnerKycWorkflowId(`u-${prefix}`, 'doc'),
          taskQueue: `${prefix}onboarding`,
          args: [{ userId: `u-${prefix}`, tenantId: 't1', documentId: 'doc', idleMinutes: 1 }],
          signal: submitDocumentSignal,
          signalArgs: [{ submissionId: 's1' }],
        });
        expect((await handle.result()).last).toMatchObject({
          decision: 'rejected',
          description: 'Provider Unavailable',
        });
        expect(h.recorded).toHaveLength(1);
      },
    );
  });

  const hold = (prefix: string, requiredTier: KycTier, deadlineMs: number) =>
    env.client.workflow.start(transactionHold, {
      workflowId: transactionHoldWorkflowId(`t1:${prefix}tx`),
      taskQueue: `${prefix}onboarding`,
      args: [
        { transactionId: `t1:${prefix}tx`, userId: 'u1', requiredTier, deadline: new Date(deadlineMs).toISOString() },
      ],
    });

  it('transactionHold: released when the tier passes before the deadline (signal from the partner-KYC outcome)', async () => {
    await withWorkers({ tier: 'basic' }, async (h, prefix) => {
      const t0 = await env.currentTimeMs();
      const handle = await hold(prefix, 'advanced', t0 + 72 * HOUR);
      await env.sleep(10 * HOUR);
      h.tier = 'advanced';
      await handle.signal(tierPassedSignal, { tier: 'advanced' });
      expect(await handle.result()).toEqual({ outcome: 'released' });
      expect(h.settled).toHaveLength(1);
      expect(h.settled[0]).toMatchObject({ transactionId: `t1:${prefix}tx`, outcome: 'released' });
      expect(h.settled[0].at - t0).toBeLessThan(11 * HOUR);
      await saveHistory(handle.workflowId, 'transaction-hold-released');
    });
  });

  it('transactionHold: a lower tier signal does not release; declined at the deadline', async () => {
    await withWorkers({}, async (h, prefix) => {
      const t0 = await env.currentTimeMs();
      const handle = await hold(prefix, 'advanced', t0 + 72 * HOUR);
      await handle.signal(tierPassedSignal, { tier: 'basic' });
      expect(await handle.result()).toEqual({ outcome: 'declined' });
      expect(h.settled.map((s) => s.outcome)).toEqual(['declined']);
      expect(Math.abs(h.settled[0].at - (t0 + 72 * HOUR))).toBeLessThan(60_000);
      await saveHistory(handle.workflowId, 'transaction-hold-declined');
    });
  });

  it('transactionHold: released at once when the tier already passed before the hold started', async () => {
    await withWorkers({ tier: 'advanced' }, async (h, prefix) => {
      const t0 = await env.currentTimeMs();
      const handle = await hold(prefix, 'advanced', t0 + 72 * HOUR);
      expect(await handle.result()).toEqual({ outcome: 'released' });
      expect(h.settled[0].at - t0).toBeLessThan(60_000);
    });
  });
});
