import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { ApplicationFailure } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import {
  cancelPartnerKycUpdate,
  type CheckOutcome,
  decidePartnerKycUpdate,
  movePartnerKycToManualReviewUpdate,
  type PartnerKycActivities,
  type PartnerKycCaseActivities,
  type PartnerKycProviderActivities,
  type PartnerKycReview,
  partnerKycWorkflowId,
  retryPartnerKycUpdate,
  submitDocumentSignal,
} from '../../domain/contracts/partner-kyc.contract';
import { partnerKyc } from '../../workflows/partner-kyc';
import { createTimeSkippingEnv, testDataConverter } from '../helpers/temporal';
import { runPartnerKycWorkers } from './partner-kyc-workers';

const NO_MATCH: CheckOutcome = { decision: 'rejected', description: 'No Match', resultCode: '1012' };
const officer = { actor: 'officer-1', reason: 'checked by hand' };

/**
 * The partner-KYC run's operator commands (the partner_kyc_* cases, docs/operations.md), time-skipping:
 * a document job that never completes can be retried, moved to manual review and decided, or
 * cancelled; a rejected check can be confirmed or overridden, also after its run completed
 * (update-with-start). Commands the run's state does not allow are refused by the validators.
 */
describe('partner KYC workflow: operator commands (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv({ dataConverter: testDataConverter() });
  });
  afterAll(() => env?.teardown());

  interface Harness {
    begun: string[];
    uploads: number;
    recorded: { submissionId: string; outcome: CheckOutcome }[];
    reviews: { review: PartnerKycReview; actor: string }[];
    notifications: NotificationRequest[];
  }

  /** Basic documents answer NO_MATCH; advanced ones stay pending at the provider (retryable, forever). */
  async function withWorkers<T>(body: (h: Harness, prefix: string) => Promise<T>) {
    const prefix = `pkc${randomUUID().slice(0, 8)}-`;
    const h: Harness = { begun: [], uploads: 0, recorded: [], reviews: [], notifications: [] };
    const db: PartnerKycActivities = {
      async beginPartnerKycCheck({ submissionId }) {
        h.begun.push(submissionId);
        return { documentType: submissionId.startsWith('adv') ? 'advanced' : 'basic' };
      },
      async recordPartnerKycOutcome({ submissionId, outcome }) {
        h.recorded.push({ submissionId, outcome });
        return { passedTier: outcome.decision === 'approved' ? 'advanced' : 'none', heldTransactionIds: [] };
      },
      async currentPartnerTier() {
        return 'none';
      },
      async settleHeldTransaction() {},
    };
    const cases: PartnerKycCaseActivities = {
      async recordPartnerKycReview({ review, actor }) {
        h.reviews.push({ review, actor });
      },
    };
    const provider: PartnerKycProviderActivities = {
      async verifyBasicDocument() {
        return NO_MATCH;
      },
      async submitDocumentJob({ submissionId }) {
        h.uploads += 1;
        return { jobId: submissionId };
      },
      async documentJobResult() {
        throw ApplicationFailure.create({ type: 'DOCUMENT_JOB_PENDING', message: 'not complete yet' });
      },
    };
    return runPartnerKycWorkers(
      env,
      prefix,
      { activities: { ...db, ...cases }, provider, notifications: h.notifications },
      () => body(h, prefix),
    );
  }

  const begin = (prefix: string, documentId: string, submissionId: string, idleMinutes = 30) =>
    env.client.workflow.signalWithStart(partnerKyc, {
      workflowId: partnerKycWorkflowId(`u-${prefix}`, documentId),
      taskQueue: `${prefix}onboarding`,
      args: [{ userId: `u-${prefix}`, tenantId: 't1', documentId, idleMinutes }],
      signal: submitDocumentSignal,
      signalArgs: [{ submissionId }],
    });
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(ok()).toBe(true);
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (err) => (err instanceof WorkflowUpdateFailedError ? (err.cause as ApplicationFailure).type : String(err)),
    );

  it('a pending document job: retry begins it again, manual review waits for a person, approve records it', async () => {
    await withWorkers(async (h, prefix) => {
      const handle = await begin(prefix, 'passport', 'adv-1');
      await until(() => h.uploads === 1);
      // Nothing to decide yet: the provider has not answered and nobody moved it to review.
      expect(
        await refusal(
          handle.executeUpdate(decidePartnerKycUpdate, {
            args: [{ ...officer, decision: 'approve', submissionId: 'adv-1' }],
          }),
        ),
      ).toBe('CHECK_IN_PROGRESS');

      const retried = await handle.executeUpdate(retryPartnerKycUpdate, {
        args: [{ ...officer, expect: 'pending', submissionId: 'adv-1' }],
      });
      expect(retried).toEqual({ kycStatus: 'pending', checks: 2 });
      expect(h.begun).toEqual(['adv-1', 'adv-1']);
      await until(() => h.uploads === 2);

      expect(await handle.executeUpdate(movePartnerKycToManualReviewUpdate, { args: [officer] })).toEqual({
        kycStatus: 'pending',
      });
      expect(
        await refusal(
          handle.executeUpdate(retryPartnerKycUpdate, {
            args: [{ ...officer, expect: 'pending', submissionId: 'adv-1' }],
          }),
        ),
      ).toBe('NOT_PENDING');
      const decided = await handle.executeUpdate(decidePartnerKycUpdate, {
        args: [{ actor: 'officer-2', reason: 'passport ok', decision: 'approve', submissionId: 'adv-1' }],
      });
      expect(decided).toEqual({ kycStatus: 'approved' });
      expect(h.reviews).toEqual([
        { review: 'manual_review', actor: 'officer-1' },
        { review: 'approved', actor: 'officer-2' },
      ]);
      expect(h.recorded.map((r) => r.outcome.description)).toEqual(['Manually Approved']);
      expect(h.notifications.map((n) => n.event)).toEqual(['kyc_approved']);
      if (process.env.RECORD_HISTORIES) {
        const history = await handle.fetchHistory();
        fs.writeFileSync(
          path.join(__dirname, '../replay/histories', 'partner-kyc-retry-manual-review-approved.json'),
          historyToJSON(history),
        );
      }
    });
  });

  it('cancel ends a pending check rejected as Cancelled; a second cancel is refused', async () => {
    await withWorkers(async (h, prefix) => {
      const handle = await begin(prefix, 'passport', 'adv-2');
      await until(() => h.uploads === 1);
      expect(await handle.executeUpdate(cancelPartnerKycUpdate, { args: [officer] })).toEqual({
        kycStatus: 'rejected',
      });
      expect(h.reviews).toEqual([{ review: 'cancelled', actor: 'officer-1' }]);
      expect(h.recorded.map((r) => r.outcome)).toEqual([
        { decision: 'rejected', description: 'Cancelled', resultCode: 'cancelled' },
      ]);
      expect(await refusal(handle.executeUpdate(cancelPartnerKycUpdate, { args: [officer] }))).toBe('NOT_PENDING');
    });
  });

  it('a rejected check: confirm, then after the run completed, an override approve starts it again (update-with-start)', async () => {
    await withWorkers(async (h, prefix) => {
      const handle = await begin(prefix, 'bvn', 'basic-1', 1);
      await until(() => h.recorded.length === 1);
      expect(
        await handle.executeUpdate(decidePartnerKycUpdate, {
          args: [{ ...officer, decision: 'reject', submissionId: 'basic-1' }],
        }),
      ).toEqual({ kycStatus: 'rejected' });
      expect(h.recorded).toHaveLength(1); // a confirmation records no new outcome
      expect(await handle.result()).toEqual({ checked: 1, last: NO_MATCH }); // idle: the run completes

      const start = new WithStartWorkflowOperation(partnerKyc, {
        workflowId: handle.workflowId,
        taskQueue: `${prefix}onboarding`,
        args: [{ userId: `u-${prefix}`, tenantId: 't1', documentId: 'bvn', idleMinutes: 1 }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const approved = await env.client.workflow.executeUpdateWithStart(decidePartnerKycUpdate, {
        args: [{ actor: 'officer-2', reason: 'registry typo', decision: 'approve', submissionId: 'basic-1' }],
        startWorkflowOperation: start,
      });
      expect(approved).toEqual({ kycStatus: 'approved' });
      expect(h.reviews.map((r) => r.review)).toEqual(['rejection_confirmed', 'approved']);
      expect(h.recorded.map((r) => r.outcome.description)).toEqual(['No Match', 'Manually Approved']);
      // The approval is notified under its own id (the decline's id ran already).
      expect(h.notifications.map((n) => n.event)).toEqual(['kyc_declined', 'kyc_approved']);
      expect(new Set(h.notifications.map((n) => n.notificationId)).size).toBe(2);
    });
  });
});
