import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { userWithToken } from '../helpers/auth';
import { request } from '../helpers/http';
import { createTenantRecord, staffFields } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

type Caller = 'BANK_ADMIN' | 'COMPLIANCE_OFFICER' | 'ANALYST' | 'AUDITOR' | 'retail' | 'internal-admin' | 'super-admin';
type Where = 'same' | 'other';
const CALLERS: Caller[] = [
  'BANK_ADMIN',
  'COMPLIANCE_OFFICER',
  'ANALYST',
  'AUDITOR',
  'retail',
  'internal-admin',
  'super-admin',
];
const STAFF: Caller[] = ['BANK_ADMIN', 'COMPLIANCE_OFFICER', 'ANALYST', 'AUDITOR'];
const INTERNAL: Caller[] = ['internal-admin', 'super-admin'];

interface Endpoint {
  name: string;
  call: (id: string) => { method: string; path: string; json?: unknown };
  /** Expected status for a caller of tenant A acting on a staff user of tenant A (same) or B (other). */
  expect: (caller: Caller, where: Where) => number;
}

const tenantScoped = (allowed: Caller[], denied: number) => (c: Caller, w: Where) =>
  INTERNAL.includes(c) ? 200 : !allowed.includes(c) ? denied : w === 'same' ? 200 : 404;

// Every endpoint that names a user, with who may use it. 403 only ever comes from a role guard
// that answers the same for every id (existing or not), so it leaks nothing; a tenant's caller
// reaching another tenant's user always gets 404.
const ENDPOINTS: Endpoint[] = [
  { name: 'GET /users/:id', call: (id) => ({ method: 'GET', path: `/users/${id}` }), expect: tenantScoped(STAFF, 404) },
  {
    name: 'PUT /users/:id',
    call: (id) => ({ method: 'PUT', path: `/users/${id}`, json: { firstName: 'Changed' } }),
    expect: (c, w) =>
      c === 'retail' ? 404 : INTERNAL.includes(c) ? 200 : w === 'other' ? 404 : c === 'BANK_ADMIN' ? 200 : 403,
  },
  {
    name: 'PUT /users/:id/role',
    call: (id) => ({ method: 'PUT', path: `/users/${id}/role`, json: { staffRole: 'AUDITOR', reason: 'matrix test' } }),
    expect: (c, w) =>
      c === 'retail' ? 404 : INTERNAL.includes(c) ? 200 : w === 'other' ? 404 : c === 'BANK_ADMIN' ? 200 : 403,
  },
  {
    name: 'PUT /users/:id/status',
    call: (id) => ({ method: 'PUT', path: `/users/${id}/status`, json: { status: 'inactive', reason: 'matrix test' } }),
    expect: (c) => (INTERNAL.includes(c) ? 200 : 403),
  },
  {
    name: 'PATCH /api/v1/auth/users/:id',
    call: (id) => ({ method: 'PATCH', path: `/api/v1/auth/users/${id}`, json: { firstName: 'Changed' } }),
    expect: (c, w) => (c !== 'BANK_ADMIN' ? 403 : w === 'same' ? 200 : 404),
  },
  {
    name: 'DELETE /api/v1/auth/users/:id',
    call: (id) => ({ method: 'DELETE', path: `/api/v1/auth/users/${id}` }),
    expect: (c, w) => (c !== 'BANK_ADMIN' ? 403 : w === 'same' ? 200 : 404),
  },
];

describe('access matrix: endpoint × role × same/other tenant', () => {
  let stack: TestStack;
  let models: Models;
  let tenantA: string;
  let tenantB: string;
  const tokens = new Map<Caller, Record<string, string>>();

  beforeAll(async () => {
    // Status changes go through the user's account workflow (one writer per status): it runs on the onboarding worker.
    stack = await startTestStack({ workers: [onboardingWorkerSpec] });
    models = stack.deps.models;
    tenantA = (await createTenantRecord(models))._id;
    tenantB = (await createTenantRecord(models))._id;
    const fields: Record<Caller, Partial<UserDoc>> = {
      BANK_ADMIN: staffFields(tenantA, 'BANK_ADMIN'),
      COMPLIANCE_OFFICER: staffFields(tenantA, 'COMPLIANCE_OFFICER'),
      ANALYST: staffFields(tenantA, 'ANALYST'),
      AUDITOR: staffFields(tenantA, 'AUDITOR'),
      retail: { tenantId: tenantA, userType: 'user', role: 'retail' },
      'internal-admin': { userType: 'internal-admin', role: 'admin' },
      'super-admin': { userType: 'internal-admin', role: 'super-admin' },
    };
    for (const c of CALLERS) tokens.set(c, (await userWithToken(models, stack.deps.config, fields[c])).headers);
  });
  afterAll(() => stack.close());

  const target = async (where: Where) =>
    (
      await models.User.create({
        email: `${Math.random().toString(36).slice(2)}@bank.test`,
        status: 'active',
        ...staffFields(where === 'same' ? tenantA : tenantB, 'ANALYST'),
      })
    ).toObject();

  for (const endpoint of ENDPOINTS) {
    it(endpoint.name, async () => {
      const rows: string[] = [];
      for (const caller of CALLERS) {
        for (const where of ['same', 'other'] as Where[]) {
          const subject = await target(where);
          const { method, path, json } = endpoint.call(subject._id);
          const res = await request(`${stack.url}${path}`, { method, headers: tokens.get(caller), json });
          const expected = endpoint.expect(caller, where);
          if (res.status !== expected)
            rows.push(`${caller} → ${where}: got ${res.status} ${res.json?.error?.code ?? ''}, expected ${expected}`);
          const after = await models.User.findById(subject._id).lean();
          const watched = (u: Partial<UserDoc> | null) =>
            JSON.stringify([u?.firstName, u?.staffRole, u?.status, u?.tokenVersion]);
          if (res.status >= 400 && watched(after) !== watched(subject)) {
            rows.push(`${caller} → ${where}: refused (${res.status}) but the user changed`);
          }
          // An unknown id answers exactly like another tenant's user: ids do not leak.
          if (where === 'other' && res.status === 404) {
            const ghost = await request(`${stack.url}${endpoint.call('00000000-0000-4000-8000-000000000000').path}`, {
              method,
              headers: tokens.get(caller),
              json,
            });
            if (ghost.status !== 404 || ghost.json.error.code !== res.json.error.code)
              rows.push(`${caller}: other-tenant 404 differs from unknown id`);
          }
        }
      }
      expect(rows).toEqual([]);
    });
  }

  it('listings show only the caller’s tenant', async () => {
    const b = await target('other');
    for (const caller of STAFF) {
      const list = await request(`${stack.url}/users?limit=100`, { headers: tokens.get(caller) });
      expect(list.status).toBe(200);
      expect(list.json.data.items.every((u: { tenantId: string }) => u.tenantId === tenantA)).toBe(true);
      const filtered = await request(`${stack.url}/users?tenantId=${tenantB}`, { headers: tokens.get(caller) });
      expect(filtered.json.data.items.map((u: { id: string }) => u.id)).not.toContain(b._id);
    }
    expect((await request(`${stack.url}/users`, { headers: tokens.get('retail') })).status).toBe(403);
    const all = await request(`${stack.url}/users?tenantId=${tenantB}&limit=100`, {
      headers: tokens.get('internal-admin'),
    });
    expect(all.json.data.items.map((u: { id: string }) => u.id)).toContain(b._id);
    const staffList = await request(`${stack.url}/api/v1/auth/users?limit=100`, { headers: tokens.get('BANK_ADMIN') });
    expect(staffList.json.data.items.map((u: { id: string }) => u.id)).not.toContain(b._id);
  });

  it('audit trail: AUDITOR reads its own tenant only, internal admins everything, others nobody', async () => {
    const a = await target('same');
    const b = await target('other');
    for (const subject of [a, b]) {
      const res = await request(`${stack.url}/users/${subject._id}/role`, {
        method: 'PUT',
        headers: { ...tokens.get('super-admin'), 'x-request-id': `req-matrix-${subject._id}` },
        json: { staffRole: 'COMPLIANCE_OFFICER', reason: 'promotion after review' },
      });
      expect(res.status).toBe(200);
    }
    const auditor = await request(`${stack.url}/audit-events?limit=100`, { headers: tokens.get('AUDITOR') });
    expect(auditor.status).toBe(200);
    const subjects = auditor.json.data.items.map((e: { subject: string }) => e.subject);
    expect(subjects).toContain(a._id);
    expect(subjects).not.toContain(b._id);
    const event = auditor.json.data.items.find((e: { subject: string }) => e.subject === a._id);
    expect(event).toMatchObject({
      action: 'user.role_changed',
      from: { staffRole: 'ANALYST' },
      to: { staffRole: 'COMPLIANCE_OFFICER' },
      reason: 'promotion after review',
      requestId: `req-matrix-${a._id}`,
      tenantId: tenantA,
    });
    expect(event.at).toMatch(/^\d{4}-/);
    const asAuditorForB = await request(`${stack.url}/audit-events?tenantId=${tenantB}&subject=${b._id}`, {
      headers: tokens.get('AUDITOR'),
    });
    expect(asAuditorForB.json.data.total).toBe(0);
    const admin = await request(`${stack.url}/audit-events?subject=${b._id}`, {
      headers: tokens.get('internal-admin'),
    });
    expect(admin.json.data.total).toBe(1);
    for (const caller of ['BANK_ADMIN', 'COMPLIANCE_OFFICER', 'ANALYST', 'retail'] as Caller[]) {
      expect((await request(`${stack.url}/audit-events`, { headers: tokens.get(caller) })).status).toBe(403);
    }
  });
});
