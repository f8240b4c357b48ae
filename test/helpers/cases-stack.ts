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
