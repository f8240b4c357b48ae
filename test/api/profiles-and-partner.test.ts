import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import { createApp } from '../../services/api/app';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { createApiClient } from '../../services/ops/commands/create-api-client';
import { createInternalAdmin } from '../../services/ops/commands/create-internal-admin';
import { createTenant } from '../../services/ops/commands/create-tenant';
import { userWithToken } from '../helpers/auth';
import { listen, request } from '../helpers/http';
import { bearer, createTenantRecord, login, userWithPassword } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

describe('seed 000 profiles: PUT takes profile fields only; role and status have audited endpoints', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Status changes go through the user's account workflow (one writer per status): it runs on the onboarding worker.
    // Several tests sign in many users from this one address: the per-IP sign-in limit is not under test here.
    stack = await startTestStack({ workers: [onboardingWorkerSpec], config: { RATE_LIMIT_LOGIN_PER_IP: '1000' } });
  });
  afterAll(() => stack.close());

  it.each(['role', 'status', 'userType', 'staffRole', 'email', 'tenantId', 'tokenVersion'])(
    'PUT rejects "%s" with a 400 naming the field',
    async (field) => {
      const { user, headers } = await userWithToken(stack.deps.models, stack.deps.config);
      const res = await request(`${stack.url}/users/${user._id}`, {
        method: 'PUT',
        headers,
        json: { firstName: 'Ada', [field]: 'admin' },
      });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('FIELD_NOT_MUTABLE');
      expect(res.json.error.message).toContain(`"${field}"`);
      expect(res.json.error.details.fields).toEqual([field]);
      const stored = await stack.deps.models.User.findById(user._id).lean();
      expect(stored).toMatchObject({ firstName: 'Ada', role: 'retail', status: 'active', tokenVersion: 0 });
    },
  );

  it('PUT updates name, phone, address and ID documents; document numbers are sealed at rest', async () => {
    const { user, headers } = await userWithToken(stack.deps.models, stack.deps.config);
    const res = await request(`${stack.url}/users/${user._id}`, {
      method: 'PUT',
      headers,
      json: {
        firstName: 'Chioma',
        phone: '+2348012345678',
        address: { line1: '1 Marina', city: 'Lagos', country: 'NG' },
        idDocuments: [{ type: 'passport', number: 'A12345678', issuingCountry: 'NG' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({
      firstName: 'Chioma',
      phone: '+2348012345678',
      address: { line1: '1 Marina', city: 'Lagos', country: 'NG' },
      idDocuments: [{ type: 'passport', numberLast3: '678', issuingCountry: 'NG', expiresOn: null }],
    });
    expect(res.text).not.toContain('A12345678');
    const stored = await stack.deps.models.User.findById(user._id).lean();
    expect(JSON.stringify(stored)).not.toContain('A12345678');
    expect(
      createFieldCipher(stack.deps.config.PII_ENCRYPTION_KEYS).decrypt(
        stored!.idDocuments[0].numberSealed,
        `${user._id}:idDocument`,
      ),
    ).toBe('A12345678');
    const bad = await request(`${stack.url}/users/${user._id}`, { method: 'PUT', headers, json: { phone: '0801' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe('phone');
  });

  it('concurrent writers of different fields of one user all land: self edits, admin edits and sign-ins at once', async () => {
    // Unpatched FerretDB 1.24 rewrote the whole document on an update, so concurrent $sets of
    // different fields erased each other (measured: 177 of 200 lost). Our build makes single-document
    // writes atomic (infra/install-tools.js) and user writes take a per-user lock: none may be lost.
    const { models, config } = stack.deps;
    const admin = await userWithToken(models, config, { userType: 'internal-admin', role: 'admin' });
    const subjects = await Promise.all(Array.from({ length: 8 }, () => userWithPassword(models, config)));
    const sessions = await Promise.all(
      subjects.map(async (s) => bearer((await login(stack.url, s.email)).json.data.accessToken)),
    );
    const put = (i: number, headers: Record<string, string>, json: object) =>
      request(`${stack.url}/users/${subjects[i].user._id}`, { method: 'PUT', headers, json });
    const answers = await Promise.all(
      subjects.flatMap((s, i) => [
        put(i, sessions[i], { firstName: `Self${i}` }),
        put(i, sessions[i], { phone: `+23480100000${String(i).padStart(2, '0')}` }),
        put(i, admin.headers, { lastName: `Admin${i}` }),
        put(i, admin.headers, { address: { line1: `${i} Marina`, city: 'Lagos', country: 'NG' } }),
        login(stack.url, s.email),
        login(stack.url, s.email),
      ]),
    );
    expect(answers.map((r) => r.status).filter((st) => st !== 200)).toEqual([]);
    for (const [i] of subjects.entries()) {
      const seen = await request(`${stack.url}/users/${subjects[i].user._id}`, { headers: admin.headers });
      expect(seen.json.data).toMatchObject({
        firstName: `Self${i}`,
        lastName: `Admin${i}`,
        phone: `+23480100000${String(i).padStart(2, '0')}`,
        address: { line1: `${i} Marina` },
      });
    }
  });

  it('concurrent opt-outs of different channels all land (consent is never lost to a race)', async () => {
    // On unpatched FerretDB 1.24 (before the atomic-writes build and the preferences' write lock),
    // two opt-outs at once erased each other: a user who opted out of SMS kept receiving SMS.
    const { models, config } = stack.deps;
    const users = await Promise.all(Array.from({ length: 6 }, () => userWithPassword(models, config)));
    const sessions = await Promise.all(
      users.map(async (u) => bearer((await login(stack.url, u.email)).json.data.accessToken)),
    );
    const put = (i: number, json: object) =>
      request(`${stack.url}/users/${users[i].user._id}/notification-preferences`, {
        method: 'PUT',
        headers: sessions[i],
        json,
      });
    const bodies = [
      { channels: { email: false } },
      { channels: { sms: false } },
      { channels: { push: false } },
      { language: 'fr' },
    ];
    const answers = await Promise.all(users.flatMap((_, i) => [0, 1].flatMap(() => bodies.map((b) => put(i, b)))));
    expect(answers.map((r) => r.status).filter((st) => st !== 200)).toEqual([]);
    for (const [i, u] of users.entries()) {
      const seen = await request(`${stack.url}/users/${u.user._id}/notification-preferences`, { headers: sessions[i] });
      expect(seen.json.data).toMatchObject({ channels: { email: false, sms: false, push: false }, language: 'fr' });
      // Every change is audited, each with the state it found under the lock.
      const audits = await models.AuditEvent.find({
        subject: u.user._id,
        action: 'notification_preferences.update',
      }).lean();
      expect(audits).toHaveLength(8);
    }
  });

  it('status change: internal admins only, audited, tokens cut off, reactivation restores the previous status', async () => {
    const { models, config } = stack.deps;
    const admin = await userWithToken(models, config, { userType: 'internal-admin', role: 'admin' });
    const subject = await userWithToken(models, config, { status: 'pending_verification' });
    const put = (status: string) =>
      request(`${stack.url}/users/${subject.user._id}/status`, {
        method: 'PUT',
        headers: { ...admin.headers, 'x-request-id': 'req-status-0001' },
        json: { status, reason: 'fraud review' },
      });
    const off = await put('inactive');
    expect(off.status).toBe(200);
    expect(off.json.data).toMatchObject({ status: 'inactive', isActive: false });
    expect((await request(`${stack.url}/api/v1/auth/me`, { headers: subject.headers })).status).toBe(401);
    const event = await models.AuditEvent.findOne({ subject: subject.user._id }).lean();
    expect(event).toMatchObject({
      actor: admin.user._id,
      action: 'user.status_changed',
      from: 'pending_verification',
      to: 'inactive',
      reason: 'fraud review',
      requestId: 'req-status-0001',
    });
    const reason = await request(`${stack.url}/users/${subject.user._id}/status`, {
      method: 'PUT',
      headers: admin.headers,
      json: { status: 'active' },
    });
    expect(reason.status).toBe(400); // a reason is required
  });

  it("reactivating through seed 002's isActive restores the status held before deactivation", async () => {
    // Every step through a public surface: the tenant and its BANK_ADMIN by the ops command, the
    // analyst by the bank admin, the statuses by an internal admin.
    const { models, config } = stack.deps;
    const opsEmail = `ops-${Date.now()}@reactivate.test`;
    await createInternalAdmin.run({ config, models, args: { email: opsEmail, password: 'SecurePass123!' } });
    const admin = { headers: bearer((await login(stack.url, opsEmail, 'SecurePass123!')).json.data.accessToken) };
    const adminEmail = `admin-${Date.now()}@reactivate.test`;
    await createTenant.run({
      config,
      models,
      args: { name: `Reactivate ${Date.now()}`, 'admin-email': adminEmail, 'admin-password': 'SecurePass123!' },
    });
    const bankAdmin = bearer((await login(stack.url, adminEmail, 'SecurePass123!')).json.data.accessToken);
    const created = await request(`${stack.url}/api/v1/auth/users`, {
      method: 'POST',
      headers: bankAdmin,
      json: {
        email: `analyst-${Date.now()}@reactivate.test`,
        password: 'SecurePass123!',
        firstName: 'Ada',
        lastName: 'Obi',
        role: 'ANALYST',
      },
    });
    expect(created.status).toBe(201);
    const analystId = created.json.data.id as string;
    const setStatus = (status: string) =>
      request(`${stack.url}/users/${analystId}/status`, {
        method: 'PUT',
        headers: admin.headers,
        json: { status, reason: 'access review' },
      });
    expect((await setStatus('pending_verification')).status).toBe(200);
    expect((await setStatus('inactive')).status).toBe(200);
    const back = await request(`${stack.url}/api/v1/auth/users/${analystId}`, {
      method: 'PATCH',
      headers: bankAdmin,
      json: { isActive: true },
    });
    expect(back.status).toBe(200);
    expect(back.json.data.isActive).toBe(true);
    const seen = await request(`${stack.url}/users/${analystId}`, { headers: admin.headers });
    expect(seen.json.data.status).toBe('pending_verification');
  });

  it('role change: only a super-admin grants administrator roles; every change is audited', async () => {
    const { models, config } = stack.deps;
    const admin = await userWithToken(models, config, { userType: 'internal-admin', role: 'admin' });
    const superAdmin = await userWithToken(models, config, { userType: 'internal-admin', role: 'super-admin' });
    const subject = await userWithToken(models, config);
    const body = { userType: 'internal-admin', role: 'admin', reason: 'new operator' };
    const denied = await request(`${stack.url}/users/${subject.user._id}/role`, {
      method: 'PUT',
      headers: admin.headers,
      json: body,
    });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('SUPER_ADMIN_REQUIRED');
    const ok = await request(`${stack.url}/users/${subject.user._id}/role`, {
      method: 'PUT',
      headers: superAdmin.headers,
      json: body,
    });
    expect(ok.status).toBe(200);
    expect(ok.json.data).toMatchObject({ userType: 'internal-admin', role: 'admin' });
    const event = await models.AuditEvent.findOne({ subject: subject.user._id, action: 'user.role_changed' }).lean();
    expect(event).toMatchObject({
      actor: superAdmin.user._id,
      from: { role: 'retail', userType: 'user' },
      to: { role: 'admin', userType: 'internal-admin' },
      reason: 'new operator',
    });
    // Append-only: the model refuses updates.
    await expect(models.AuditEvent.updateOne({ _id: event!._id }, { $set: { reason: 'x' } })).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('partner surface (seed 003) and ops commands', () => {
  let stack: TestStack;
  let enabledKey: string;
  let disabledKey: string;
  let tenantId: string;

  const clientIdOf = (output: string) => /x-client-id: (\S+)/.exec(output)![1];
  const tokens = (key: string | undefined, json: unknown, url = stack.url) =>
    request(`${url}/api/user/tokens`, { method: 'POST', headers: key ? { 'x-client-id': key } : {}, json });

  beforeAll(async () => {
    stack = await startTestStack({ config: { RATE_LIMIT_LOGIN_PER_IP: '1000' } });
    const ctx = { config: stack.deps.config, models: stack.deps.models };
    const out = await createTenant.run({
      ...ctx,
      args: { name: 'Partner Bank', 'admin-email': 'Admin@Partner.test', 'admin-password': 'SecurePass123!' },
    });
    expect(out).toMatch(/slug partner-bank/);
    tenantId = (await stack.deps.models.Organization.findOne({ slug: 'partner-bank' }).lean())!._id;
    enabledKey = clientIdOf(
      await createApiClient.run({
        ...ctx,
        args: { tenant: 'partner-bank', name: 'wallet app', 'enable-user-tokens': true },
      }),
    );
    disabledKey = clientIdOf(
      await createApiClient.run({ ...ctx, args: { tenant: 'partner-bank', name: 'other app' } }),
    );
  });
  afterAll(() => stack.close());

  it('ops: the tenant’s first BANK_ADMIN and an internal admin can sign in; client ids are stored hashed', async () => {
    const admin = await login(stack.url, 'admin@partner.test');
    expect(admin.status).toBe(200);
    const me = await request(`${stack.url}/api/v1/auth/me`, { headers: bearer(admin.json.data.accessToken) });
    expect(me.json.data).toMatchObject({ role: 'BANK_ADMIN', tenant: { slug: 'partner-bank', name: 'Partner Bank' } });
    await createInternalAdmin.run({
      config: stack.deps.config,
      models: stack.deps.models,
      args: { email: 'ops@platform.test', password: 'LongEnoughPass123!' },
    });
    expect((await login(stack.url, 'ops@platform.test', 'LongEnoughPass123!')).status).toBe(200);
    const stored = await stack.deps.models.ApiClient.find({}).lean();
    expect(JSON.stringify(stored)).not.toContain(enabledKey);
    await expect(
      createApiClient.run({
        config: stack.deps.config,
        models: stack.deps.models,
        args: { tenant: 'nope', name: 'x' },
      }),
    ).rejects.toThrow(/no tenant/);
  });

  it('issues tokens for a new user of the client’s tenant, then for the same user again', async () => {
    const first = await tokens(enabledKey, { email: 'Buyer@Example.com', countryIsoCode: 'NG' });
    expect(first.status).toBe(200);
    // The seed's own shape, without the envelope.
    expect(Object.keys(first.json).sort()).toEqual(['accessToken', 'refreshToken']);
    const user = await stack.deps.models.User.findOne({ email: 'buyer@example.com' }).lean();
    expect(user).toMatchObject({ tenantId, country: 'NG', userType: 'user', role: 'retail' });
    const me = await request(`${stack.url}/api/v1/auth/me`, { headers: bearer(first.json.accessToken) });
    expect(me.json.data).toMatchObject({ id: user!._id, tenant: { id: tenantId } });
    const refreshed = await request(`${stack.url}/api/v1/auth/refresh`, {
      method: 'POST',
      json: { refreshToken: first.json.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const second = await tokens(enabledKey, { email: 'buyer@example.com', countryIsoCode: 'NG' });
    expect(second.status).toBe(200);
    expect(await stack.deps.models.User.countDocuments({ email: 'buyer@example.com' })).toBe(1);
  });

  it('refuses unknown clients (401), disabled clients (403 USER_TOKENS_DISABLED) and bad input (400)', async () => {
    expect((await tokens(undefined, { email: 'a@b.co', countryIsoCode: 'NG' })).json.error.code).toBe('INVALID_CLIENT');
    expect((await tokens('ck_wrong', { email: 'a@b.co', countryIsoCode: 'NG' })).status).toBe(401);
    const disabled = await tokens(disabledKey, { email: 'a@b.co', countryIsoCode: 'NG' });
    expect(disabled.status).toBe(403);
    expect(disabled.json.error.code).toBe('USER_TOKENS_DISABLED');
    for (const body of [
      { email: 'not-an-email', countryIsoCode: 'NG' },
      { email: 'a@b.co', countryIsoCode: 'XX' },
      { email: 'a@b.co', countryIsoCode: 'UK' },
      { email: 'a@b.co', countryIsoCode: 'ng' },
      { email: 'a@b.co' },
    ]) {
      const res = await tokens(enabledKey, body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_ERROR');
    }
    expect(await stack.deps.models.User.countDocuments({ email: 'a@b.co' })).toBe(0);
  });

  it('never mints tokens for staff or for another tenant’s users', async () => {
    const { models, config } = stack.deps;
    const other = await createTenantRecord(models);
    const foreign = await userWithToken(models, config, { tenantId: other._id });
    for (const email of ['admin@partner.test', foreign.user.email, 'ops@platform.test']) {
      const res = await tokens(enabledKey, { email, countryIsoCode: 'NG' });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('EMAIL_UNAVAILABLE');
    }
  });

  it('limits token generation per client across instances', async () => {
    const config = { ...stack.deps.config, RATE_LIMIT_USER_TOKENS_PER_CLIENT: 2 };
    const now = () => new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000); // a window no other test uses
    const [a, b] = [
      await listen(createApp({ ...stack.deps, config, now })),
      await listen(createApp({ ...stack.deps, config, now })),
    ];
    try {
      const statuses = [];
      for (const url of [a.url, b.url, a.url]) statuses.push((await tokens(enabledKey, {}, url)).status);
      expect(statuses).toEqual([400, 400, 429]);
      expect((await tokens(disabledKey, {}, b.url)).status).toBe(403); // per client
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
