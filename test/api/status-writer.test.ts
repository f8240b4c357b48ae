import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { historyToJSON } from '@temporalio/common/lib/proto-utils';

import { accountWorkflowId } from '../../domain/contracts/account.contract';
import { onboardingStateQuery, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { emptyBridgeState, reduceBridgeEvent } from '../../domain/rules/onboarding/bridge';
import { userWithToken } from '../helpers/auth';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// One writer per user status (issue 12 item 4) and Bridge news after activation (issue 16 item 5),
// through the public surface: the admin endpoint, signed webhooks, the real workflows and database.
describe('one writer per user status', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    // Errors logged: a rare 500 of the admin endpoint in this race was seen twice in full-suite runs
    // (2026-12-03) and not reproduced alone; the API's error log names its cause next time.
    t = await startOnboardingStack({ config: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error' } });
  });
  // RECORD_HISTORIES=1 saves the histories of a few of these runs for test/replay (new workflow, new branches).
  const toRecord = new Map<string, string>();
  afterAll(async () => {
    if (process.env.RECORD_HISTORIES && t) {
      for (const [name, workflowId] of toRecord) {
        const history = await t.stack.deps.temporal.workflow
          .getHandle(workflowId)
          .fetchHistory()
          .catch(() => null);
        // RECORD_HISTORIES_SUFFIX names a new set (a new workflow shape), so the earlier ones stay.
        if (history)
          fs.writeFileSync(
            path.join(__dirname, '../replay/histories', `${name}${process.env.RECORD_HISTORIES_SUFFIX ?? ''}.json`),
            historyToJSON(history),
          );
      }
    }
    await t?.close();
  });

  const hooks = kycWebhooks(() => t);
  const statusOf = (v: unknown): string => (typeof v === 'string' ? v : (v as { status: string }).status);

  /** The user's status changes as audited, in the order written, checked to be one unbroken chain. */
  async function auditChain(userId: string) {
    const events = await t.stack.deps.models.AuditEvent.find({ subject: userId, action: 'user.status_changed' })
      .sort({ at: 1 })
      .lean();
    const chain = events.map((e) => [statusOf(e.from), statusOf(e.to)]);
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    return { chain, final: user.status, user };
  }
  // Read through Temporal: a rejected user's own token is revoked, so the API answers 401 to them.
  const obState = (userId: string) =>
    t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).query(onboardingStateQuery);
  const unbroken = (chain: string[][]) => chain.every(([from], i) => i === 0 || from === chain[i - 1][1]);

  async function admin() {
    return userWithToken(t.stack.deps.models, t.stack.deps.config, { userType: 'internal-admin', role: 'admin' });
  }
  const putStatus = (headers: Record<string, string>, userId: string, status: string) =>
    t.api(`/users/${userId}/status`, { method: 'PUT', headers, json: { status, reason: 'race test' } });

  async function inBatches<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
    const out: R[] = [];
    for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
    return out;
  }

  it('an admin rejection racing the activating Bridge webhook: audit trail and final status agree, 100 times', async () => {
    const a = await admin();
    const n = Number(process.env.RACE_N ?? 100);
    const runs = await inBatches(
      Array.from({ length: n }, (_, i) => i),
      10,
      async () => {
        const u = await hooks.awaitingBridge();
        const base = Date.now() - 60_000;
        expect((await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, base, 'under_review', 'approved'))).status).toBe(
          200,
        );
        // The last Bridge webhook (it activates the user) and the admin's rejection, at once.
        // The webhook path is slower than the admin's: a jitter on the admin side lets both orders happen.
        const jitterMs = Math.floor(Math.random() * 3000);
        const [hook, put] = await Promise.all([
          hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, base + 1000, 'approved', 'approved')),
          new Promise((r) => setTimeout(r, jitterMs)).then(() => putStatus(a.headers, u.userId, 'rejected')),
        ]);
        expect([hook.status, put.status, put.status === 200 ? null : put.text]).toEqual([200, 200, null]);
        expect(put.json.data.status).toBe('rejected');
        await t.waitFor(
          () => obState(u.userId),
          (o) => o.outcome !== null,
          30_000,
        );
        return auditChain(u.userId);
      },
    );
    const adminFirst = runs.find((r) => !r.chain.some(([, to]) => to === 'active'));
    const activationFirst = runs.find((r) => r.chain.some(([, to]) => to === 'active'));
    if (adminFirst) toRecord.set('onboarding-closed-by-admin-update', onboardingWorkflowId(adminFirst.user._id));
    if (activationFirst)
      toRecord.set('onboarding-activated-then-admin-update', onboardingWorkflowId(activationFirst.user._id));
    for (const r of runs) {
      expect(unbroken(r.chain)).toBe(true);
      expect(r.chain[0][0]).toBe('not_verified');
      expect(r.final).toBe(r.chain[r.chain.length - 1][1]);
      expect(r.final).toBe('rejected');
    }
    // Both orders were raced (activation applied first, or the admin's rejection first).
    const activatedFirst = runs.filter((r) => r.chain.some(([, to]) => to === 'active')).length;
    console.log(`race: activation applied first in ${activatedFirst}/${n}, admin first in ${n - activatedFirst}/${n}`);
    expect([activatedFirst > 0, activatedFirst < n]).toEqual([true, true]);
  }, 600_000);

  it('50 concurrent admin status changes on one user form one unbroken audit chain', async () => {
    const a = await admin();
    const subject = await userWithToken(t.stack.deps.models, t.stack.deps.config, { status: 'active' });
    const cycle = ['inactive', 'active', 'rejected', 'pending_verification', 'active'];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => putStatus(a.headers, subject.user._id, cycle[i % cycle.length])),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const { chain, final, user } = await auditChain(subject.user._id);
    expect(chain.length).toBeGreaterThan(1);
    expect(chain[0][0]).toBe('active');
    expect(unbroken(chain)).toBe(true);
    expect(final).toBe(chain[chain.length - 1][1]);
    // Every applied admin change revoked the tokens once (the endpoint's contract).
    expect(user.tokenVersion).toBe((subject.user.tokenVersion ?? 0) + chain.length);
    expect(chain.every(([from, to]) => from !== to)).toBe(true);
    // The account workflow (no onboarding for this user) is the writer operators see in the UI.
    expect(
      (await t.stack.deps.temporal.workflow.getHandle(accountWorkflowId(subject.user._id)).describe()).status.name,
    ).toBe('RUNNING');
    toRecord.set('account-admin-changes', accountWorkflowId(subject.user._id));
  }, 120_000);

  describe('Bridge deliveries in every order, during and after onboarding', () => {
    type Ev = { at: number; kyc: string; tos: string };
    const sets: [string, Ev[], { status: string; kyc: string; tos: string }][] = [
      [
        '{kyc approved t1, tos approved t2, offboarded t3}',
        [
          { at: 1000, kyc: 'approved', tos: 'pending' },
          { at: 2000, kyc: 'approved', tos: 'approved' },
          { at: 3000, kyc: 'offboarded', tos: 'approved' },
        ],
        { status: 'rejected', kyc: 'offboarded', tos: 'approved' },
      ],
      [
        '{under_review t1, approved t2, rejected t3}',
        [
          { at: 1000, kyc: 'under_review', tos: 'approved' },
          { at: 2000, kyc: 'approved', tos: 'approved' },
          { at: 3000, kyc: 'rejected', tos: 'approved' },
        ],
        { status: 'rejected', kyc: 'rejected', tos: 'approved' },
      ],
    ];
    const permutations = <T>(xs: T[]): T[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r]));

    it.each(sets)(
      '%s settles on one final user status and Bridge state',
      async (_name, events, expected) => {
        const results = await Promise.all(
          permutations(events).map(async (order) => {
            const u = await hooks.awaitingBridge();
            const base = Date.now() - 60_000;
            let folded = emptyBridgeState();
            const sent = [];
            let afterActivation = 0;
            for (const e of order) {
              const payload = hooks.bridgeEvent(u.kycLinkId, base + e.at, e.kyc, e.tos);
              sent.push(payload);
              if ((await obState(u.userId)).outcome) afterActivation += 1;
              expect((await hooks.postBridge(payload)).json.data).toEqual({ received: true, duplicate: false });
              folded = reduceBridgeEvent(folded, {
                createdAtMs: base + e.at,
                kycStatus: e.kyc,
                tosStatus: e.tos,
                rejectionReasons: [],
              }).state;
              // Let the writer take it in before the next one (so later ones land after activation).
              await t.waitFor(
                () => obState(u.userId),
                (s) =>
                  s.outcome !== null ||
                  (s.bridge.kycStatus === folded.kycStatus && s.bridge.tosStatus === folded.tosStatus),
                20_000,
              );
            }
            // A redelivery is taken once.
            expect((await hooks.postBridge(sent[0])).json.data).toEqual({ received: true, duplicate: true });
            const user = await t
              .waitFor(
                () => t.stack.deps.models.User.findById(u.userId).lean(),
                (x) => {
                  const b = (x!.kyc as { bridge?: { kycStatus?: string; tosStatus?: string } }).bridge;
                  return (
                    x!.status === expected.status && b?.kycStatus === expected.kyc && b?.tosStatus === expected.tos
                  );
                },
                30_000,
              )
              .catch(() => t.stack.deps.models.User.findById(u.userId).lean());
            const { chain } = await auditChain(u.userId);
            const b = (user!.kyc as { bridge: { kycStatus: string; tosStatus: string } }).bridge;
            return {
              order: order.map((e) => e.at).join(','),
              status: user!.status,
              kyc: b.kycStatus,
              tos: b.tosStatus,
              unbroken: unbroken(chain),
              afterActivation,
            };
          }),
        );
        for (const r of results)
          expect({ ...r, afterActivation: undefined }).toEqual({
            order: r.order,
            status: expected.status,
            kyc: expected.kyc,
            tos: expected.tos,
            unbroken: true,
            afterActivation: undefined,
          });
        // Some deliveries reached the account only after the onboarding had ended.
        expect(results.some((r) => r.afterActivation > 0)).toBe(true);
      },
      300_000,
    );

    it('a newer Bridge approval undoes a rejection Bridge caused, never an admin one', async () => {
      const a = await admin();
      const base = Date.now() - 60_000;
      const bridgeRejected = await hooks.awaitingBridge();
      const adminRejected = await hooks.awaitingBridge();
      for (const u of [bridgeRejected, adminRejected]) {
        expect(
          (await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, base + 1000, 'approved', 'approved'))).status,
        ).toBe(200);
        await t.waitFor(
          () => obState(u.userId),
          (o) => o.outcome === 'active',
          30_000,
        );
      }
      expect(
        (await hooks.postBridge(hooks.bridgeEvent(bridgeRejected.kycLinkId, base + 2000, 'rejected', 'approved')))
          .status,
      ).toBe(200);
      expect((await putStatus(a.headers, adminRejected.userId, 'rejected')).status).toBe(200);
      const status = (id: string) =>
        t.stack.deps.models.User.findById(id)
          .lean()
          .then((u) => u!.status);
      await t.waitFor(
        () => status(bridgeRejected.userId),
        (s) => s === 'rejected',
        30_000,
      );
      for (const u of [bridgeRejected, adminRejected]) {
        expect(
          (await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, base + 3000, 'approved', 'approved'))).status,
        ).toBe(200);
      }
      await t.waitFor(
        () => status(bridgeRejected.userId),
        (s) => s === 'active',
        30_000,
      );
      // The admin's rejection stands (give the account writer time to have taken the event in).
      await t.waitFor(
        () => t.stack.deps.models.User.findById(adminRejected.userId).lean(),
        (u) => (u!.kyc as { bridge: { kycAt?: number } }).bridge.kycAt === base + 3000,
        30_000,
      );
      expect(await status(adminRejected.userId)).toBe('rejected');
      for (const u of [bridgeRejected, adminRejected]) expect(unbroken((await auditChain(u.userId)).chain)).toBe(true);
      toRecord.set('onboarding-bridge-rejected-after-activation', onboardingWorkflowId(bridgeRejected.userId));
      toRecord.set('account-bridge-rejected-then-approved', accountWorkflowId(bridgeRejected.userId));
    }, 120_000);
  });

  it('a user the API does not know answers 404 and starts nothing', async () => {
    const a = await admin();
    const res = await putStatus(a.headers, randomUUID(), 'rejected');
    expect(res.status).toBe(404);
  });
});
