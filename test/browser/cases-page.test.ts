import { randomUUID } from 'node:crypto';

import { type Browser, chromium } from 'playwright-core';

import { CASE_KINDS, caseSweepWorkflowId } from '../../domain/contracts/cases.contract';
import { ensureCaseSweep, sweepCasesNow } from '../../services/common/case-sweep';
import { ensureChromium } from '../helpers/chromium';
import { staffFields, TEST_PASSWORD, userWithPassword } from '../helpers/identity';
import { startOnboardingStack } from '../helpers/onboarding-stack';

/** The backoffice page (/admin/cases) in headless Chromium: one review, from the list to the audit trail. */
describe('cases page in headless Chromium', () => {
  let t: Awaited<ReturnType<typeof startOnboardingStack>>;
  let browser: Browser;
  beforeAll(async () => {
    const executablePath = ensureChromium();
    t = await startOnboardingStack();
    await ensureCaseSweep(t.stack.deps.temporal, { ...t.stack.deps.config, CASE_SWEEP_INTERVAL_MS: 500 });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stack.deps.temporal.workflow
      .getHandle(caseSweepWorkflowId(t.stack.deps.config.TASK_QUEUE_PREFIX))
      .terminate('test over')
      .catch(() => undefined);
    await t?.close();
  });

  it('signs in, lists the review, opens it, rejects it with a reason: the user is rejected and the trail shows it', async () => {
    // A user whose Veriff decision is "review", made through the API and the sandbox.
    const u = await t.confirmedUser({ org_name: `Page Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'review' });
    const caseId = `kyc_review:${u.userId}`;
    await sweepCasesNow(t.stack.deps.temporal, t.stack.deps.config);
    await t.waitFor(
      () => t.stack.deps.models.Case.findById(caseId).lean(),
      (c) => c?.open === true,
      30_000,
    );

    const { email } = await userWithPassword(
      t.stack.deps.models,
      t.stack.deps.config,
      staffFields(tenantId, 'COMPLIANCE_OFFICER'),
    );
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${t.stack.url}/admin/cases`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('body[data-loaded=true]', { timeout: 60_000 });

    // The kind filter offers every kind the API knows (read from /openapi.json, not a copy).
    await page.waitForSelector('#filters select[name=kind] option[value=kyc_review]', { state: 'attached' });
    const offered = await page.$$eval('#filters select[name=kind] option', (os) =>
      os.map((o) => o.getAttribute('value') ?? '').filter(Boolean),
    );
    expect(offered).toEqual([...CASE_KINDS]);

    // Filter by kind, then open the case from the list.
    await page.selectOption('#filters select[name=kind]', 'kyc_review');
    await page.click('#filters button[type=submit]');
    const row = `tr.case-row[data-case-id="${caseId}"]`;
    await page.waitForSelector(row);
    await page.click(`${row} button`);
    await page.waitForSelector(`#case[data-case-id="${caseId}"][data-open=true]`);
    expect(await page.textContent('#case-facts')).toContain('veriff:review');

    await page.selectOption('#act select[name=action]', 'reject');
    await page.fill('#act input[name=reason]', 'Selfie does not match the document');
    await page.click('#act button[type=submit]');
    await page.waitForSelector(`#case[data-case-id="${caseId}"][data-open=false]`, { timeout: 30_000 });
    expect(await page.textContent('#act-result')).toContain('reject done');

    // The workflow changed the user's status; the trail shows the action with its reason, and the status change.
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('rejected');
    await page.waitForSelector('#trail tr[data-action="case.reject"]');
    const trail = await page.textContent('#trail');
    expect(trail).toContain('Selfie does not match the document');
    expect(trail).toContain('"rejected"');
    expect(await page.$(row)).toBeNull(); // gone from the open list
    expect(problems).toEqual([]);
  }, 180_000);
});
