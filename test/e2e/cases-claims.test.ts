import { randomUUID } from 'node:crypto';

import { casesApi, openCase, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import type { OnboardingStack } from '../helpers/onboarding-stack';

type Stack = OnboardingStack;

/**
 * One claim per case (issue 24): operators acting on one case at the same time with different
 * Idempotency-Keys get one effect; every other gets a 409 with the case's current state. Attacked
 * with CONCURRENT simultaneous requests from several officers of the tenant.
 */
describe('cases: one action per case at a time', () => {
  let t: Stack;
  const { staff, act } = casesApi(() => t);
  beforeAll(async () => {
    t = await startCasesStack();
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  const CONCURRENT = 30;

  const officer = (tenantId: string) => staff(tenantId, 'COMPLIANCE_OFFICER');

  it(`${CONCURRENT} simultaneous decisions with different keys: one approve or reject happens, the rest are 409 with the current case`, async () => {
    const u = await t.confirmedUser({ org_name: `Claims Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const officers = await Promise.all([officer(tenantId), officer(tenantId), officer(tenantId)]);
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    expect((await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'review' })).status).toBe(200);

    const caseId = `kyc_review:${u.userId}`;
    await openCase(t, officers[0].headers, caseId);

    // Half approve, half reject: whichever wins, the other decision must not follow it.
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        act(officers[i % officers.length].headers, caseId, {
          action: i % 2 === 0 ? 'approve' : 'reject',
          reason: `decision ${i}`,
        }),
      ),
    );
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status !== 200);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(CONCURRENT - 1);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(['CASE_CLAIMED', 'CASE_MOVED_ON']).toContain(r.json.error.code);
      expect(r.json.error.details.case).toMatchObject({ id: caseId });
    }
    const won = ok[0].json.data;
    expect(won.case).toMatchObject({ open: false, resolution: `action:${won.action}` });

    // One effect: one audit event of the case, one status change of the user, to the winner's decision.
    const caseEvents = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(caseEvents.map((e) => e.action)).toEqual([`case.${won.action}`]);
    const user = (await t.stack.deps.models.User.findById(u.userId).lean())!;
    expect(user.status).toBe(won.action === 'approve' ? 'active' : 'rejected');
    const statusEvents = await t.stack.deps.models.AuditEvent.find({
      subject: u.userId,
      actor: { $in: officers.map((o) => o.user._id) },
    }).lean();
    expect(statusEvents).toHaveLength(1);

    // The losers gave their keys back, and the case holds no claim after the winner.
    expect(await t.stack.deps.models.CaseAction.countDocuments({ caseId })).toBe(1);
    expect((await t.stack.deps.models.Case.findById(caseId).lean())!.claim).toBeNull();
  }, 120_000);
});
