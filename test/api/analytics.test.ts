import { randomUUID } from 'node:crypto';

import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import { foldAnalyticsNotes, rebuildAnalytics } from '../../adapters/analytics/read-model';
import { forEachBounded } from '../../adapters/bounded-parallel';
import { createServiceToken } from '../../adapters/identity/service-tokens';
import { insertDemoData } from '../../services/ops/demo-data';
import { directAnalytics } from '../helpers/analytics-direct';
import { bearer, createTenantRecord, login, staffFields, userWithPassword } from '../helpers/identity';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

const ENDPOINTS = [
  'active-users',
  'growth',
  'kyc-funnel',
  'status-distribution',
  'role-distribution',
  'kyc-levels',
  'verification-requests',
  'transaction-averages',
  'geography',
];
const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('analytics endpoints (seed 000)', () => {
  let s: OnboardingStack;
  let admin: Record<string, string>;
  let tenantA: string;
  let bankAdminA: Record<string, string>;
  let analystB: Record<string, string>;
  let retail: Record<string, string>;

  const get = (path: string, headers: Record<string, string>) => s.api(`/users/analytics/${path}`, { headers });
  const tokenOf = async (fields: Parameters<typeof userWithPassword>[2]) => {
    const { email } = await userWithPassword(s.stack.deps.models, s.stack.deps.config, fields);
    const res = await login(s.stack.url, email);
    expect(res.status).toBe(200);
    return bearer(res.json.data.accessToken);
  };

  beforeAll(async () => {
    s = await startOnboardingStack();
    const { models } = s.stack.deps;
    tenantA = (await createTenantRecord(models))._id;
    const tenantB = (await createTenantRecord(models))._id;
    admin = await tokenOf({ userType: 'internal-admin', role: 'super-admin' });
    bankAdminA = await tokenOf(staffFields(tenantA, 'BANK_ADMIN'));
    analystB = await tokenOf(staffFields(tenantB, 'ANALYST'));
    retail = await tokenOf({});
  }, 120_000);
  afterAll(() => s?.close());

  it('lists the nine endpoints in /openapi.json', async () => {
    const doc = (await s.api('/openapi.json')).json;
    for (const e of ENDPOINTS) expect(doc.paths[`/users/analytics/${e}`]?.get?.responses).toHaveProperty('403');
  });

  it('403 for a retail user and for another tenant; 401 without a token', async () => {
    for (const e of ENDPOINTS) {
      expect((await get(e, retail)).json.error.code).toBe('INSUFFICIENT_ROLE');
      const other = await get(`${e}?tenantId=${tenantA}`, analystB);
      expect([other.status, other.json.error.code]).toEqual([403, 'FORBIDDEN_TENANT']);
      expect((await s.api(`/users/analytics/${e}`)).status).toBe(401);
    }
  });

  it('400 with a code for bad ranges', async () => {
    const cases: [string, string][] = [
      ['growth?from=2026-03-02&to=2026-03-01', 'INVALID_RANGE'],
      ['growth?from=2020-01-01&to=2026-01-01&interval=day', 'RANGE_TOO_LARGE'],
      ['growth?interval=year', 'VALIDATION_ERROR'],
      ['transaction-averages?from=2026-02-30', 'INVALID_DATE'],
      ['transaction-averages?from=20260301', 'VALIDATION_ERROR'],
      ['kyc-funnel?from=2026-02-31&to=2026-03-01', 'INVALID_DATE'],
    ];
    for (const [path, code] of cases) {
      const r = await get(path, admin);
      expect([path, r.status, r.json.error.code]).toEqual([path, 400, code]);
    }
  });

  it('every figure equals a direct count over the raw records, for all and per tenant, before and after folding', async () => {
    const { models } = s.stack.deps;
    // Through the public surface: registrations (some confirmed), staff created by the bank admin,
    // status and role changes by the internal admin, sign-ins.
    const registered: string[] = [];
    const founders: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        if (i % 2 === 0) {
          // Each founds an organization of its own (org_id needs an invitation), so tenants multiply too.
          const { userId } = await s.confirmedUser({
            country: i % 4 === 0 ? 'GH' : 'NG',
            org_name: `Analytics Org ${randomUUID().slice(0, 8)}`,
          });
          registered.push(userId);
          founders.push(userId);
        } else {
          const r = await s.api('/users/register', {
            method: 'POST',
            json: {
              email: `${randomUUID()}@example.test`,
              password: 'correct horse battery',
              firstName: 'A',
              lastName: 'B',
              country: 'KE',
            },
          });
          expect(r.status).toBe(201);
          registered.push(r.json.data.userId);
        }
      }),
    );
    for (const role of ['ANALYST', 'AUDITOR'] as const) {
      const r = await s.api('/api/v1/auth/users', {
        method: 'POST',
        headers: bankAdminA,
        json: { email: `${randomUUID()}@bank.test`, password: 'SecurePass123!', firstName: 'S', lastName: 'T', role },
      });
      expect(r.status).toBe(201);
    }
    // Transactions as internal systems record them (POST /transactions, service token), both
    // directions; transactions belong to a tenant's users, so the founders record them.
    const { token: svc } = await createServiceToken(models, {
      name: `analytics-${randomUUID()}`,
      scopes: ['transactions:write'],
    });
    for (const [i, userId] of [...founders, ...founders].entries()) {
      const tx = {
        transactionId: `an-${randomUUID()}`,
        userId,
        direction: i % 2 ? 'offramp' : 'onramp',
        amount: 0.5 + i / 4,
        currency: i % 3 ? 'USD' : 'NGN',
        createdAt: new Date().toISOString(),
      };
      const r = await s.api('/transactions', { method: 'POST', headers: { authorization: `Bearer ${svc}` }, json: tx });
      expect(r.status).toBe(201);
    }
    const st = await s.api(`/users/${registered[0]}/status`, {
      method: 'PUT',
      headers: admin,
      json: { status: 'active', reason: 'manual review' },
    });
    expect(st.status).toBe(200);
    const compare = async (label: string, tenants: (string | undefined)[]) => {
      for (const tenantId of tenants) {
        const q = `from=${daysAgo(70)}&to=${today()}${tenantId ? `&tenantId=${tenantId}` : ''}`;
        const d = await directAnalytics(models, { tenantId, from: daysAgo(70), to: today(), now: new Date() });
        const ctx = `${label} tenant=${tenantId ?? 'all'}`;
        const data = async (path: string) => {
          const r = await get(`${path}?${q}`, admin);
          expect([ctx, path, r.status]).toEqual([ctx, path, 200]);
          return r.json.data;
        };
        expect([ctx, nonZero((await data('status-distribution')).byStatus)]).toEqual([ctx, d.byStatus]);
        const roles = await data('role-distribution');
        expect([ctx, nonZero(roles.byRole), nonZero(roles.byUserType)]).toEqual([ctx, d.byRole, d.byUserType]);
        expect([ctx, nonZero((await data('kyc-levels')).byLevel)]).toEqual([ctx, d.byLevel]);
        const geo = await data('geography');
        expect([
          ctx,
          Object.fromEntries(
            geo.countries.map((c: { country: string | null; total: number }) => [c.country ?? '-', c.total]),
          ),
        ]).toEqual([ctx, d.byCountry]);
        const active = await data('active-users');
        expect([
          ctx,
          active.activeStatus,
          active.dailyActiveUsers,
          active.weeklyActiveUsers,
          active.monthlyActiveUsers,
        ]).toEqual([ctx, d.active.activeStatus, d.active.daily, d.active.weekly, d.active.monthly]);
        const growth = await data('growth');
        const reg = Object.fromEntries(
          growth.series
            .filter((b: { registrations: number }) => b.registrations)
            .map((b: { period: string; registrations: number }) => [b.period, b.registrations]),
        );
        const act = Object.fromEntries(
          growth.series
            .filter((b: { activations: number }) => b.activations)
            .map((b: { period: string; activations: number }) => [b.period, b.activations]),
        );
        expect([ctx, reg, act]).toEqual([ctx, d.registrations, d.activations]);
        expect(growth.series).toHaveLength(71); // gaps filled with zeros
        const funnel = await data('kyc-funnel');
        expect([
          ctx,
          funnel.steps.map((x: { count: number; medianHoursFromPrevious: number | null }) => ({
            count: x.count,
            medianHours: x.medianHoursFromPrevious,
          })),
        ]).toEqual([ctx, d.funnel]);
        const vr = await data('verification-requests');
        expect([
          ctx,
          nonZero(vr.byStatus),
          vr.outcomes.failedByCode,
          vr.outcomes.overdue,
          vr.medianMinutesToVerify,
        ]).toEqual([
          ctx,
          d.verification.byStatus,
          d.verification.failedByCode,
          d.verification.overdue,
          d.verification.medianMinutes,
        ]);
        const tx = await data('transaction-averages');
        const groups = Object.fromEntries(
          tx.groups.map((g: { direction: string; currency: string; count: number; sum: number; average: number }) => {
            expect(g.average).toBeCloseTo(g.sum / g.count, 9);
            return [`${g.direction}|${g.currency}`, { count: g.count, sum: g.sum }];
          }),
        );
        expect([ctx, groups]).toEqual([ctx, d.transactions]);
      }
    };
    // Nothing folded yet: the answers come from the pending notes alone.
    expect(await models.AnalyticsOutbox.estimatedDocumentCount()).toBeGreaterThan(8);
    await compare('unfolded', [undefined, tenantA]);
    while ((await foldAnalyticsNotes(models)) > 0);
    // Volume: the demo generator's raw records, each noted as its writer would, then folded.
    const demo = await insertDemoData(models, {
      users: 150,
      requests: 50,
      transactions: 200,
      tenants: 2,
      days: 60,
      seed: 7,
    });
    const refs: [Parameters<typeof noteAnalyticsChange>[1], string][] = [
      ...(await models.User.find({ email: /@demo\.test$/ }, { _id: 1 }).lean()).map(
        (u) => ['user', u._id] as [never, string],
      ),
      ...(await models.VerificationRequest.find({}, { _id: 1 }).lean()).map(
        (v) => ['verification-request', v._id] as [never, string],
      ),
      ...(await models.Transaction.find({}, { _id: 1 }).lean()).map((t) => ['transaction', t._id] as [never, string]),
    ];
    await forEachBounded(refs, 8, ([kind, ref]) => noteAnalyticsChange(models, kind, ref));
    while ((await foldAnalyticsNotes(models)) > 0);
    expect(await models.AnalyticsOutbox.countDocuments()).toBe(0);
    await compare('folded', [undefined, demo.tenants[0], tenantA]);
    // One country: the funnel reads that country's month sums and by-day docs, not the `$all` ones;
    // a range of whole months only reads month sums.
    const firstOfMonth = (monthsBack: number) => {
      const d = new Date();
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1)).toISOString().slice(0, 10);
    };
    const lastOfPrevMonth = new Date(Date.parse(`${firstOfMonth(0)}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const [from, to, country] of [
      [daysAgo(70), today(), 'NG'],
      [firstOfMonth(2), lastOfPrevMonth, undefined],
      [firstOfMonth(2), lastOfPrevMonth, 'KE'],
    ] as const) {
      const d = await directAnalytics(models, { from, to, country, now: new Date() });
      const r = await get(`kyc-funnel?from=${from}&to=${to}${country ? `&country=${country}` : ''}`, admin);
      const ctx = `funnel ${from}..${to} country=${country ?? 'all'}`;
      expect([
        ctx,
        r.json.data.steps.map((x: { count: number; medianHoursFromPrevious: number | null }) => ({
          count: x.count,
          medianHours: x.medianHoursFromPrevious,
        })),
      ]).toEqual([ctx, d.funnel]);
      expect([ctx, r.json.data.steps[0].count]).not.toEqual([ctx, 0]);
    }
    // A write whose note was lost: the counters miss it until the reconcile rebuild heals it.
    await models.User.create({ email: `${randomUUID()}@lost.test`, status: 'rejected', country: 'ZA' });
    const before = (await get('status-distribution', admin)).json.data.byStatus.rejected;
    await rebuildAnalytics(models);
    expect((await get('status-distribution', admin)).json.data.byStatus.rejected).toBe(before + 1);
    await compare('rebuilt', [undefined]);
  }, 600_000);

  it('tenant staff see their own tenant only, without asking for it', async () => {
    const own = await get('status-distribution', bankAdminA);
    const scoped = await get(`status-distribution?tenantId=${tenantA}`, admin);
    expect(own.status).toBe(200);
    expect(own.json.data).toEqual(scoped.json.data);
  });

  it('answers 50 concurrent requests without an error', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => get(ENDPOINTS[i % ENDPOINTS.length], admin)),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  });
});
