import { createApp } from '../../services/api/app';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { listen, request, type RunningServer } from '../helpers/http';
import { bearer, createTenantRecord, login, staffFields, userWithPassword } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

const USER_KEYS = ['createdAt', 'email', 'firstName', 'id', 'isActive', 'lastLoginAt', 'lastName', 'role'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('seed 002: /api/v1/auth, exactly as documented', () => {
  let stack: TestStack;
  let tenantId: string;
  let adminToken: string;
  let analyst: { email: string; id: string };

  beforeAll(async () => {
    stack = await startTestStack({
      workers: [onboardingWorkerSpec],
      config: { RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_REFRESH_PER_IP: '1000' },
    });
    const { models, config } = stack.deps;
    const org = await createTenantRecord(models, { name: 'First Bank of Nigeria', slug: 'first-bank' });
    tenantId = org._id;
    const admin = await userWithPassword(models, config, staffFields(tenantId, 'BANK_ADMIN'));
    const a = await userWithPassword(
      models,
      config,
      { ...staffFields(tenantId, 'ANALYST'), email: 'analyst@bank.com' },
      'SecurePass123!',
    );
    analyst = { email: a.email, id: a.user._id };
    adminToken = (await login(stack.url, admin.email)).json.data.accessToken;
  });
  afterAll(() => stack.close());

  it('POST /login answers {accessToken, refreshToken, expiresIn: 900}', async () => {
    const res = await request(`${stack.url}/api/v1/auth/login`, {
      method: 'POST',
      json: { email: 'analyst@bank.com', password: 'SecurePass123!' },
    });
    expect(res.status).toBe(200);
    expect(res.json.success).toBe(true);
    expect(Object.keys(res.json.data).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(res.json.data.expiresIn).toBe(900);
    const [header, payload] = res.json.data.accessToken
      .split('.')
      .slice(0, 2)
      .map((p: string) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'HS256', kid: 'test1' });
    expect(payload.exp - payload.iat).toBe(900);
    expect(payload).toMatchObject({ iss: 'kyc-orchestrator', aud: 'kyc-orchestrator-api', sub: analyst.id });
  });

  it('answers 401 INVALID_CREDENTIALS identically for a wrong password and an unknown email', async () => {
    const expected = {
      success: false,
      error: { code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' },
    };
    const wrong = await login(stack.url, 'analyst@bank.com', 'WrongPass123!');
    const unknown = await login(stack.url, 'nobody@bank.com', 'SecurePass123!');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(expected);
    expect(unknown.json).toEqual(expected);
    await login(stack.url, 'analyst@bank.com'); // clear the failure counter for the other tests
  });

  it('spends about the same time on an unknown email as on a wrong password (dummy argon2 verify)', async () => {
    const time = async (email: string) => {
      const t = performance.now();
      await login(stack.url, email, 'WrongPass123!');
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('analyst@bank.com'));
      unknown.push(await time(`ghost${i}@bank.com`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    // An unknown email that skipped argon2 would answer in ~1-2 ms instead of tens.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    await login(stack.url, 'analyst@bank.com');
  });

  it('GET /me returns the documented profile with the tenant object', async () => {
    const token = (await login(stack.url, analyst.email)).json.data.accessToken;
    const res = await request(`${stack.url}/api/v1/auth/me`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.data).sort()).toEqual([...USER_KEYS, 'tenant'].sort());
    expect(res.json.data).toMatchObject({
      id: analyst.id,
      email: 'analyst@bank.com',
      firstName: 'Jane',
      lastName: 'Smith',
      role: 'ANALYST',
      isActive: true,
    });
    expect(res.json.data.lastLoginAt).toMatch(ISO);
    expect(res.json.data.createdAt).toMatch(ISO);
    expect(res.json.data.tenant).toEqual({
      id: tenantId,
      name: 'First Bank of Nigeria',
      slug: 'first-bank',
      logoUrl: null,
      primaryColor: '#0F172A',
    });
  });

  it('POST /users creates (201), then 409 USER_ALREADY_EXISTS; password needs 8+ characters', async () => {
    const body = {
      email: 'new.officer@bank.com',
      password: 'SecurePass123!',
      firstName: 'Jane',
      lastName: 'Smith',
      role: 'COMPLIANCE_OFFICER',
    };
    const created = await request(`${stack.url}/api/v1/auth/users`, {
      method: 'POST',
      headers: bearer(adminToken),
      json: body,
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json.data).sort()).toEqual(USER_KEYS);
    expect(created.json.data).toMatchObject({
      email: 'new.officer@bank.com',
      firstName: 'Jane',
      lastName: 'Smith',
      role: 'COMPLIANCE_OFFICER',
      isActive: true,
      lastLoginAt: null,
    });
    const again = await request(`${stack.url}/api/v1/auth/users`, {
      method: 'POST',
      headers: bearer(adminToken),
      json: body,
    });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({
      success: false,
      error: { code: 'USER_ALREADY_EXISTS', message: 'A user with this email already exists' },
    });
    const short = await request(`${stack.url}/api/v1/auth/users`, {
      method: 'POST',
      headers: bearer(adminToken),
      json: { ...body, email: 'x@bank.com', password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.json.error.details[0].path).toBe('password');
    // The created user can sign in with the password the admin set.
    expect((await login(stack.url, 'new.officer@bank.com')).status).toBe(200);
  });

  it('GET /users pages the tenant with items/total/page/limit/totalPages and filters by role', async () => {
    const { models, config } = stack.deps;
    for (let i = 0; i < 3; i++) await userWithPassword(models, config, staffFields(tenantId, 'AUDITOR'));
    const other = await createTenantRecord(models);
    await userWithPassword(models, config, staffFields(other._id, 'AUDITOR'));
    const res = await request(`${stack.url}/api/v1/auth/users?page=1&limit=2&role=AUDITOR`, {
      headers: bearer(adminToken),
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.data).sort()).toEqual(['items', 'limit', 'page', 'total', 'totalPages']);
    expect(res.json.data).toMatchObject({ total: 3, page: 1, limit: 2, totalPages: 2 });
    expect(res.json.data.items).toHaveLength(2);
    expect(Object.keys(res.json.data.items[0]).sort()).toEqual(USER_KEYS);
    const all = await request(`${stack.url}/api/v1/auth/users`, { headers: bearer(adminToken) });
    expect(all.json.data.limit).toBe(50);
    expect(all.json.data.items.every((u: { role: string }) => u.role)).toBe(true);
    expect((await request(`${stack.url}/api/v1/auth/users?limit=101`, { headers: bearer(adminToken) })).status).toBe(
      400,
    );
  });

  it('PATCH /users/:id changes role and isActive; DELETE deactivates softly', async () => {
    const { models, config } = stack.deps;
    const { user } = await userWithPassword(models, config, staffFields(tenantId, 'COMPLIANCE_OFFICER'));
    const patched = await request(`${stack.url}/api/v1/auth/users/${user._id}`, {
      method: 'PATCH',
      headers: bearer(adminToken),
      json: { role: 'ANALYST', isActive: true },
    });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.json.data).sort()).toEqual(USER_KEYS);
    expect(patched.json.data).toMatchObject({ id: user._id, role: 'ANALYST', isActive: true });
    const deleted = await request(`${stack.url}/api/v1/auth/users/${user._id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    expect(deleted.status).toBe(200);
    expect(deleted.json.data).toMatchObject({ id: user._id, role: 'ANALYST', isActive: false });
    const stored = await models.User.findById(user._id).lean();
    expect(stored).toMatchObject({ status: 'inactive', statusBeforeDeactivation: 'active' }); // soft: the record stays
    const audit = await models.AuditEvent.find({ subject: user._id }).sort({ at: 1 }).lean();
    expect(audit.map((e) => [e.action, e.from, e.to])).toEqual([
      ['user.role_changed', { staffRole: 'COMPLIANCE_OFFICER' }, { staffRole: 'ANALYST' }],
      ['user.status_changed', 'active', 'inactive'],
    ]);
    const reactivated = await request(`${stack.url}/api/v1/auth/users/${user._id}`, {
      method: 'PATCH',
      headers: bearer(adminToken),
      json: { isActive: true },
    });
    expect(reactivated.json.data.isActive).toBe(true);
    expect((await models.User.findById(user._id).lean())!.status).toBe('active');
  });

  it('only BANK_ADMIN manages users', async () => {
    const token = (await login(stack.url, analyst.email)).json.data.accessToken;
    const res = await request(`${stack.url}/api/v1/auth/users`, { headers: bearer(token) });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('INSUFFICIENT_ROLE');
    expect((await request(`${stack.url}/api/v1/auth/users`)).status).toBe(401);
  });

  it('a BANK_ADMIN cannot lock itself out', async () => {
    const me = (await request(`${stack.url}/api/v1/auth/me`, { headers: bearer(adminToken) })).json.data;
    const demote = await request(`${stack.url}/api/v1/auth/users/${me.id}`, {
      method: 'PATCH',
      headers: bearer(adminToken),
      json: { role: 'ANALYST' },
    });
    expect(demote.status).toBe(409);
    const del = await request(`${stack.url}/api/v1/auth/users/${me.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    expect(del.json.error.code).toBe('CANNOT_DEACTIVATE_SELF');
  });

  it('refuses tokens to a retail user whose email is not confirmed, but only after a correct password', async () => {
    const { models, config } = stack.deps;
    const { email } = await userWithPassword(models, config, { status: 'not_verified' });
    expect((await login(stack.url, email, 'WrongPass123!')).json.error.code).toBe('INVALID_CREDENTIALS');
    const res = await login(stack.url, email);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('EMAIL_NOT_CONFIRMED');
  });
});

describe('sessions: rotation, reuse detection, logout, deactivation cut-off', () => {
  let stack: TestStack;
  let tenantId: string;
  let adminToken: string;

  beforeAll(async () => {
    // Status changes go through the user's account workflow (one writer per status): it runs on the onboarding worker.
    stack = await startTestStack({
      workers: [onboardingWorkerSpec],
      config: { RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_REFRESH_PER_IP: '1000' },
    });
    tenantId = (await createTenantRecord(stack.deps.models))._id;
    const admin = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenantId, 'BANK_ADMIN'));
    adminToken = (await login(stack.url, admin.email)).json.data.accessToken;
  });
  afterAll(() => stack.close());

  const refresh = (refreshToken: string) =>
    request(`${stack.url}/api/v1/auth/refresh`, { method: 'POST', json: { refreshToken } });
  const me = (token: string) => request(`${stack.url}/api/v1/auth/me`, { headers: bearer(token) });

  it('rotates: the new pair works and the old refresh token is dead', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenantId, 'ANALYST'));
    const first = (await login(stack.url, email)).json.data;
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(Object.keys(second.json.data).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(second.json.data.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.json.data.accessToken)).status).toBe(200);
    const third = await refresh(second.json.data.refreshToken);
    expect(third.status).toBe(200);
    // Stored only as digests.
    const stored = await stack.deps.models.RefreshToken.find({}).lean();
    expect(JSON.stringify(stored)).not.toContain(first.refreshToken);
  });

  it('detects reuse: replaying a spent refresh token revokes the whole family, access tokens included', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenantId, 'ANALYST'));
    const stolen = (await login(stack.url, email)).json.data;
    const legit = (await refresh(stolen.refreshToken)).json.data;
    const replay = await refresh(stolen.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('INVALID_REFRESH_TOKEN');
    // The legitimate successor is revoked too, and so is the family's access token.
    expect((await refresh(legit.refreshToken)).status).toBe(401);
    const cut = await me(legit.accessToken);
    expect(cut.status).toBe(401);
    expect(cut.json.error.code).toBe('TOKEN_REVOKED');
    // Another session of the same user is untouched.
    expect((await me((await login(stack.url, email)).json.data.accessToken)).status).toBe(200);
  });

  it('two concurrent refreshes with one token: exactly one wins, the other is treated as reuse', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenantId, 'ANALYST'));
    const pair = (await login(stack.url, email)).json.data;
    const results = await Promise.all([
      refresh(pair.refreshToken),
      refresh(pair.refreshToken),
      refresh(pair.refreshToken),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    expect(
      await stack.deps.models.RefreshToken.countDocuments({
        parentId: (await stack.deps.models.RefreshToken.findOne({
          parentId: /^root:/,
          userId: (await stack.deps.models.User.findOne({ email }).lean())!._id,
        }).lean())!._id,
      }),
    ).toBe(1);
  });

  it('logout revokes the session: access and refresh tokens stop working', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenantId, 'AUDITOR'));
    const pair = (await login(stack.url, email)).json.data;
    const out = await request(`${stack.url}/api/v1/auth/logout`, { method: 'POST', headers: bearer(pair.accessToken) });
    expect(out.status).toBe(200);
    expect((await me(pair.accessToken)).status).toBe(401);
    expect((await refresh(pair.refreshToken)).status).toBe(401);
  });

  it('deactivation cuts off at once: access 401, refresh 401, login 403', async () => {
    const { user, email } = await userWithPassword(
      stack.deps.models,
      stack.deps.config,
      staffFields(tenantId, 'ANALYST'),
    );
    const pair = (await login(stack.url, email)).json.data;
    expect((await me(pair.accessToken)).status).toBe(200);
    await request(`${stack.url}/api/v1/auth/users/${user._id}`, { method: 'DELETE', headers: bearer(adminToken) });
    const after = await me(pair.accessToken);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('TOKEN_REVOKED');
    expect((await refresh(pair.refreshToken)).status).toBe(401);
    const relogin = await login(stack.url, email);
    expect(relogin.status).toBe(403);
    expect(relogin.json.error.code).toBe('ACCOUNT_DEACTIVATED');
  });

  it('a role change cuts off existing tokens at once', async () => {
    const { user, email } = await userWithPassword(
      stack.deps.models,
      stack.deps.config,
      staffFields(tenantId, 'ANALYST'),
    );
    const pair = (await login(stack.url, email)).json.data;
    await request(`${stack.url}/api/v1/auth/users/${user._id}`, {
      method: 'PATCH',
      headers: bearer(adminToken),
      json: { role: 'AUDITOR' },
    });
    expect((await me(pair.accessToken)).status).toBe(401);
    expect((await refresh(pair.refreshToken)).status).toBe(401);
    const fresh = (await login(stack.url, email)).json.data;
    expect((await me(fresh.accessToken)).json.data.role).toBe('AUDITOR');
  });

  it('rejects tampered, foreign-key and alg:none access tokens', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenantId, 'ANALYST'));
    const token: string = (await login(stack.url, email)).json.data.accessToken;
    const [h, p] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')}.${token.split('.')[2]}`;
    for (const bad of [none, tampered, 'not-a-jwt']) {
      const res = await me(bad);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('INVALID_TOKEN');
    }
  });
});

describe('abuse resistance: lockout and rate limits in the database', () => {
  let stack: TestStack;
  // Frozen clock at the start of a window, so no test straddles a window boundary.
  const windowStart = Math.floor(Date.now() / 900_000) * 900_000;
  const frozen = () => new Date(windowStart + 1_000);

  beforeAll(async () => {
    stack = await startTestStack({ config: { AUTH_LOCKOUT_MAX_FAILURES: '3', RATE_LIMIT_LOGIN_PER_IP: '1000' } });
  });
  afterAll(() => stack.close());

  it('locks an account after repeated failures with 429 ACCOUNT_LOCKED and Retry-After, even for the right password', async () => {
    const server = await listen(createApp({ ...stack.deps, now: frozen }));
    try {
      const { email } = await userWithPassword(stack.deps.models, stack.deps.config);
      for (let i = 0; i < 3; i++) expect((await login(server.url, email, 'WrongPass123!')).status).toBe(401);
      const locked = await login(server.url, email);
      expect(locked.status).toBe(429);
      expect(locked.json.error.code).toBe('ACCOUNT_LOCKED');
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      // Unknown emails lock the same way, so a lockout does not reveal that an account exists.
      for (let i = 0; i < 3; i++) await login(server.url, 'ghost@bank.test', 'WrongPass123!');
      expect((await login(server.url, 'ghost@bank.test')).json.error.code).toBe('ACCOUNT_LOCKED');
      // Other accounts are unaffected.
      const other = await userWithPassword(stack.deps.models, stack.deps.config);
      expect((await login(server.url, other.email)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a login rate limit holds across two API instances sharing the database', async () => {
    const config = { ...stack.deps.config, RATE_LIMIT_LOGIN_PER_IP: 4 };
    // Its own minute (the lockout test above used the first one from this IP).
    const now = () => new Date(windowStart + 120_000);
    const servers: RunningServer[] = [
      await listen(createApp({ ...stack.deps, config, now })),
      await listen(createApp({ ...stack.deps, config, now })),
    ];
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await request(`${servers[i % 2].url}/api/v1/auth/login`, { method: 'POST', json: {} })).status);
      // 4 pass the limiter (and fail validation), the 5th and 6th are limited, whichever instance they hit.
      expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
      const limited = await request(`${servers[0].url}/api/v1/auth/refresh`, { method: 'POST', json: {} });
      expect(limited.status).toBe(400); // separate bucket per endpoint
      const res = await request(`${servers[1].url}/api/v1/auth/login`, { method: 'POST', json: {} });
      expect(res.json.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('counts concurrent hits from two instances exactly (unique slot inserts, no lost updates)', async () => {
    const config = { ...stack.deps.config, RATE_LIMIT_REFRESH_PER_IP: 5 };
    const now = () => new Date(windowStart + 180_000);
    const servers = [
      await listen(createApp({ ...stack.deps, config, now })),
      await listen(createApp({ ...stack.deps, config, now })),
    ];
    try {
      const statuses = await Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          request(`${servers[i % 2].url}/api/v1/auth/refresh`, { method: 'POST', json: {} }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s !== 429)).toHaveLength(5);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
