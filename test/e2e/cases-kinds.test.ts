import { randomInt, randomUUID } from 'node:crypto';

import {
  verificationRequestWorkflowId,
  verificationStateQuery,
} from '../../domain/contracts/verification-request.contract';
import { userWithToken } from '../helpers/auth';
import { casesApi, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
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
    const org = await t.stack.deps.models.Organization.create({ name: 'Bank', slug: `bank-${randomInt(1e9)}` });
    const officer = await staff(org._id, 'COMPLIANCE_OFFICER');
    const otherOrg = await t.stack.deps.models.Organization.create({ name: 'Other', slug: `other-${randomInt(1e9)}` });
    const stranger = await staff(otherOrg._id, 'COMPLIANCE_OFFICER');
    const user = await userWithToken(t.stack.deps.models, t.stack.deps.config, {
      tenantId: org._id,
      firstName: 'Ada',
      lastName: 'Obi',
    });
    await t.api(`/users/${user.user._id}`, {
      method: 'PUT',
      headers: user.headers,
      json: { dateOfBirth: '1991-03-12' },
    });
    const created = await t.api('/users/notifications/verification-request', {
      method: 'POST',
      headers: officer.headers,
      json: { userId: user.user._id, types: ['bvn'] },
    });
    expect(created.status).toBe(202);
    const { requestId } = created.json.data;
    const readRequest = () =>
      t.api(`/users/verification-requests/${requestId}`, { headers: user.headers }).then((r) => r.json.data);
    await t.waitFor(readRequest, (r) => r.status === 'notified');
    // The sandbox's "no match" number: the lookup fails and the user may submit again.
    const submitted = await t.api('/users/verification-requests/submit', {
      method: 'POST',
      headers: user.headers,
      json: { requestId, bvn: '22200000003' },
    });
    expect(submitted.status).toBe(202);
    await t.waitFor(readRequest, (r) => r.status === 'failed');

    const caseId = `verification_failed:${requestId}`;
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
