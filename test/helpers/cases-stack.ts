import { randomUUID } from 'node:crypto';

import { caseSweepWorkflowId } from '../../domain/contracts/cases.contract';
import type { StaffRole } from '../../domain/vocabulary/users';
import { ensureCaseSweep, sweepCasesNow } from '../../services/common/case-sweep';
import { userWithToken } from './auth';
import { type OnboardingStack, startOnboardingStack } from './onboarding-stack';

/**
 * Cases end to end (test/e2e/cases*.test.ts, onboarding-cases.test.ts): the onboarding stack with
 * the case sweep running, and the few calls every cases test makes.
 *
 * - `startCasesStack(opts)`: `startOnboardingStack(opts)` (API, onboarding + kyc workers, provider
 *   sandbox) plus the case sweep workflow every 500 ms. Call in `beforeAll`.
 * - `stopCasesStack(t)`: terminates that sweep, then closes the stack. Call in `afterAll` (safe on
 *   a stack that never started).
 * - `casesApi(() => t)`: the cases calls, reading the stack lazily (so it can be made at describe
 *   time, before `beforeAll` ran, like `kycWebhooks`):
 *   - `staff(tenantId, staffRole)`: a signed-in tenant staff user (`{ user, token, headers }`);
 *   - `internalAdmin()`: a signed-in internal admin (`{ user, token, headers }`);
 *   - `act(headers, caseId, body, idempotencyKey?)`: POST /cases/:id/actions (a fresh key unless given);
 *   - `listedCase(headers, caseId, kind, { match, timeoutMs, sweepWhilePolling })`: runs a sweep,
 *     then lists `/cases?kind=` as `headers` until the case is there and `match`es (default: open;
 *     30 s); with `sweepWhilePolling` every poll runs a sweep first. Answers the listed case.
 */

/** Request headers (a signed-in caller's `authorization`). */
export type Headers = Record<string, string>;

/** A case as the list answers it (the fields tests read; the rest is there too). */
export type ListedCase = { id: string; open: boolean; version: number; why: { attempts: number | null } } & Record<
  string,
  unknown
>;

export async function startCasesStack(opts: { config?: Record<string, string> } = {}): Promise<OnboardingStack> {
  const t = await startOnboardingStack(opts);
  await ensureCaseSweep(t.stack.deps.temporal, { ...t.stack.deps.config, CASE_SWEEP_INTERVAL_MS: 500 });
  return t;
}

export async function stopCasesStack(t: OnboardingStack | undefined): Promise<void> {
  await t?.stack.deps.temporal.workflow
    .getHandle(caseSweepWorkflowId(t.stack.deps.config.TASK_QUEUE_PREFIX))
    .terminate('test over')
    .catch(() => undefined);
  await t?.close();
}

export function casesApi(t: () => OnboardingStack) {
  const staff = (tenantId: string, staffRole: StaffRole) =>
    userWithToken(t().stack.deps.models, t().stack.deps.config, {
      tenantId,
      userType: 'staff',
      role: 'org-staff',
      staffRole,
    });
  const internalAdmin = () =>
    userWithToken(t().stack.deps.models, t().stack.deps.config, { userType: 'internal-admin', role: 'admin' });
  const act = (headers: Headers, caseId: string, json: unknown, key = `key-${randomUUID()}`) =>
    t().api(`/cases/${encodeURIComponent(caseId)}/actions`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': key },
      json,
    });
  async function listedCase(
    headers: Headers,
    caseId: string,
    kind: string,
    opts: { match?: (c: ListedCase) => boolean; timeoutMs?: number; sweepWhilePolling?: boolean } = {},
  ): Promise<ListedCase> {
    const { match = (c) => c.open, timeoutMs = 30_000, sweepWhilePolling = false } = opts;
    const sweep = () => sweepCasesNow(t().stack.deps.temporal, t().stack.deps.config);
    await sweep();
    const page = await t().waitFor(
      async () => {
        if (sweepWhilePolling) await sweep();
        return t().api(`/cases?kind=${kind}&limit=100`, { headers });
      },
      (r) => r.status === 200 && r.json.data.items.some((c: ListedCase) => c.id === caseId && match(c)),
      timeoutMs,
    );
    return page.json.data.items.find((c: ListedCase) => c.id === caseId);
  }
  return { staff, internalAdmin, act, listedCase };
}

/**
 * Runs a sweep, then reads GET /cases/:id as `headers` (sweeping before each read) until the case
 * is there and open (30 s). Answers that response.
 */
export function openCase(t: OnboardingStack, headers: Headers, caseId: string) {
  return t.waitFor(
    async () => {
      await sweepCasesNow(t.stack.deps.temporal, t.stack.deps.config);
      return t.api(`/cases/${encodeURIComponent(caseId)}`, { headers });
    },
    (r) => r.status === 200 && r.json.data.open === true,
    30_000,
  );
}

/**
 * A `verification_failed` case made through the public surfaces: a new tenant ("Bank") with a
 * compliance officer, a user of it with a date of birth, the officer's BVN request (answered 202 and
 * notified), and the user's submission of the sandbox's "no match" number (answered 202), the request
 * then failed. The case is not listed yet (`listedCase` runs the sweep). `readRequest()` reads the
 * request as its user.
 */
export async function failedVerificationCase(t: OnboardingStack) {
  const { models, config } = t.stack.deps;
  const org = await models.Organization.create({ name: 'Bank', slug: `bank-${randomUUID().slice(0, 8)}` });
  const officer = await casesApi(() => t).staff(org._id, 'COMPLIANCE_OFFICER');
  const user = await userWithToken(models, config, { tenantId: org._id, firstName: 'Ada', lastName: 'Obi' });
  await t.api(`/users/${user.user._id}`, { method: 'PUT', headers: user.headers, json: { dateOfBirth: '1991-03-12' } });
  const created = await t.api('/users/notifications/verification-request', {
    method: 'POST',
    headers: officer.headers,
    json: { userId: user.user._id, types: ['bvn'] },
  });
  expect(created.status).toBe(202);
  const requestId: string = created.json.data.requestId;
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
  return { org, officer, user, requestId, caseId: `verification_failed:${requestId}`, readRequest };
}
