import { randomInt, randomUUID } from 'node:crypto';

import {
  verificationRequestWorkflowId,
  verificationStateQuery,
} from '../../domain/contracts/verification-request.contract';
import { casesApi, failedVerificationCase, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import type { OnboardingStack } from '../helpers/onboarding-stack';

type Stack = OnboardingStack;

/**
 * Case kinds and actions issue 24 added last (docs/operations.md), each end to end: made to happen
 * through public surfaces, listed, acted on over the API, the owning workflow carrying it out, the
 * audit event written, other tenants refused.
 */
describe('cases: the remaining kinds and actions', () => {
  let t: Stack;
  const { staff, act, listedCase } = casesApi(() => t);
  beforeAll(async () => {
    t = await startCasesStack();
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  it('verification_failed → resend: the request run sends a reminder now, once per command; the case stays open', async () => {
    const { org, officer, user, requestId, caseId } = await failedVerificationCase(t);
    const otherOrg = await t.stack.deps.models.Organization.create({ name: 'Other', slug: `other-${randomInt(1e9)}` });
    const stranger = await staff(otherOrg._id, 'COMPLIANCE_OFFICER');

    const listed = await listedCase(officer.headers, caseId, 'verification_failed', { sweepWhilePolling: true });
    expect(listed.actions).toEqual(['retry', 'extend', 'cancel', 'resend']);

    const refused = await act(stranger.headers, caseId, { action: 'resend' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('FORBIDDEN_TENANT');

    const run = t.stack.deps.temporal.workflow.getHandle(verificationRequestWorkflowId(requestId));
    const sentBefore = (await run.query(verificationStateQuery)).remindersSent;
    const key = `resend-${randomUUID()}`;
    const resent = await act(officer.headers, caseId, { action: 'resend', reason: 'Customer lost the message' }, key);
    expect(resent.status).toBe(200);
    const notificationId = `${verificationRequestWorkflowId(requestId)}.reminder.now.1`;
    expect(resent.json.data).toMatchObject({
      action: 'resend',
      outcome: { notificationId, remindersSent: sentBefore + 1 },
      case: { open: true },
    });
    // The run requested the reminder (the stack records requestNotification), once.
    const reminders = () => t.notificationRequests.filter((n) => n.notificationId === notificationId);
    expect(reminders()).toEqual([
      expect.objectContaining({
        userId: user.user._id,
        event: 'identity_number_reminder',
        data: expect.objectContaining({ requestId, types: 'bvn' }),
      }),
    ]);

    // The same key is the same command: no second reminder.
    const again = await act(officer.headers, caseId, { action: 'resend', reason: 'Customer lost the message' }, key);
    expect(again.json.data).toMatchObject({ replayed: true, outcome: { notificationId } });
    expect((await run.query(verificationStateQuery)).remindersSent).toBe(sentBefore + 1);
    expect(reminders()).toHaveLength(1);

    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: officer.user._id,
      action: 'case.resend',
      tenantId: org._id,
      reason: 'Customer lost the message',
    });

    // A closed request has nothing to remind of: cancel, then resend is refused (the case moved on).
    expect((await act(officer.headers, caseId, { action: 'cancel', reason: 'Customer left' })).status).toBe(200);
    const late = await act(officer.headers, caseId, { action: 'resend' });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('CASE_MOVED_ON');
  }, 120_000);
});
