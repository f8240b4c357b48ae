import { randomUUID } from 'node:crypto';

import { renderTemplate } from '../../activities/notifications/templates';
import { request } from '../helpers/http';
import { bearer, createTenantRecord, login, staffFields, userWithPassword } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

/** Issue 16 item 4: sign-up limits under bursts, and names that cannot smuggle control characters. */
describe('hardening: registration and resends', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      config: {
        RATE_LIMIT_REGISTER_PER_IP: '10',
        RATE_LIMIT_REGISTER_PER_EMAIL: '5',
        RATE_LIMIT_RESEND_PER_IP: '10',
        RATE_LIMIT_RESEND_PER_EMAIL: '5',
        RATE_LIMIT_STAFF_INVITES_PER_TENANT: '5',
      },
    });
  });
  afterAll(() => stack.close());

  let nextIp = 1;
  const freshIp = () => `198.18.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;
  const post = (path: string, json: unknown, ip: string) =>
    request(`${stack.url}${path}`, { method: 'POST', json, headers: { 'x-forwarded-for': ip } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes, read by path
  const codes = (rs: { status: number; json: any }[]) => {
    const limited = rs.filter((r) => r.status === 429 && r.json.error.code === 'RATE_LIMITED');
    expect(limited.every((r) => Number(r.json.error.details.retryAfterSeconds) > 0)).toBe(true);
    return { limited: limited.length, passed: rs.length - limited.length };
  };
  // The limiter runs before validation, so an incomplete body (no password) measures it without
  // starting workflows: a passed request answers 400, a limited one 429.
  const registration = (email: string) => ({ email, firstName: 'Ada', lastName: 'Obi' });

  it('limits registrations per client IP: 10 of 50 sent at once pass', async () => {
    const ip = freshIp();
    const rs = await Promise.all(
      Array.from({ length: 50 }, () => post('/users/register', registration(`${randomUUID()}@example.test`), ip)),
    );
    expect(rs.filter((r) => r.status !== 429).every((r) => r.status === 400)).toBe(true);
    expect(codes(rs)).toEqual({ passed: 10, limited: 40 });
  });

  it('limits registrations per email address across IPs: 5 of 50 pass', async () => {
    const email = `${randomUUID()}@example.test`;
    const rs = await Promise.all(
      Array.from({ length: 50 }, () => post('/users/register', registration(email.toUpperCase()), freshIp())),
    );
    expect(codes(rs)).toEqual({ passed: 5, limited: 45 });
    // Other addresses from those IPs are unaffected.
    expect((await post('/users/register', registration(`${randomUUID()}@example.test`), freshIp())).status).toBe(400);
  });

  it('limits staff invitations (welcome emails) per tenant per hour: 5 of 50 sent at once pass, another tenant is unaffected', async () => {
    const adminOf = async () => {
      const tenant = await createTenantRecord(stack.deps.models);
      const admin = await userWithPassword(stack.deps.models, stack.deps.config, staffFields(tenant._id, 'BANK_ADMIN'));
      return bearer((await login(stack.url, admin.email)).json.data.accessToken);
    };
    const headers = await adminOf();
    const invite = (h: Record<string, string>) =>
      request(`${stack.url}/api/v1/auth/users`, {
        method: 'POST',
        headers: h,
        json: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Obi', role: 'ANALYST' },
      });
    const rs = await Promise.all(Array.from({ length: 50 }, () => invite(headers)));
    expect(rs.filter((r) => r.status === 201)).toHaveLength(5);
    expect(codes(rs)).toEqual({ passed: 5, limited: 45 });
    expect((await invite(await adminOf())).status).toBe(201);
  }, 60_000);

  it('limits code resends per client IP and per address', async () => {
    const ip = freshIp();
    const perIp = await Promise.all(
      Array.from({ length: 50 }, () => post('/users/confirm/resend', { email: `${randomUUID()}@example.test` }, ip)),
    );
    expect(perIp.filter((r) => r.status !== 429).every((r) => r.status === 202)).toBe(true);
    expect(codes(perIp)).toEqual({ passed: 10, limited: 40 });
    const email = `${randomUUID()}@example.test`;
    const perEmail = await Promise.all(
      Array.from({ length: 50 }, () => post('/users/confirm/resend', { email }, freshIp())),
    );
    expect(codes(perEmail)).toEqual({ passed: 5, limited: 45 });
  });

  it.each([
    ['NUL', 'Ada\u0000'],
    ['CR/LF', 'Ada\r\nBcc: victim@example.test'],
    ['a lone LF', 'Ada\nObi'],
    ['TAB', 'Ada\tObi'],
    ['ESC', 'Ada\u001b[31m'],
    ['DEL', 'Ada\u007f'],
    ['a C1 control', 'Ada\u0085'],
    ['a right-to-left override', 'Ada\u202Egnp.exe'],
    ['a bidi isolate', 'Ada\u2066x'],
    ['a line separator', 'Ada\u2028Obi'],
  ])('refuses a name with %s (400 VALIDATION_ERROR naming the field)', async (_what, firstName) => {
    const res = await post(
      '/users/register',
      { email: `${randomUUID()}@example.test`, password: 'correct horse battery', firstName, lastName: 'Obi' },
      freshIp(),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toEqual(['firstName']);
  });

  it('keeps names with accents, apostrophes and non-Latin scripts', async () => {
    // Validation passes (the limiter and then the workflow-less start are what remain): not a 400.
    const res = await post(
      '/users/register',
      { email: `${randomUUID()}@example.test`, password: 'x', firstName: "Adá O'Neil-Ọlá", lastName: 'محمد 李' },
      freshIp(),
    );
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toEqual(['password']);
  });

  it('never puts control or bidi characters from a value into a message', () => {
    const m = renderTemplate('verification_code', 'en', {
      firstName: 'Ada\r\nBcc: x@example.test\u202E\u0000',
      code: '123456',
    });
    for (const text of [m.email.text, m.email.subject, m.email.html, m.sms, m.push.title, m.push.body]) {
      // eslint-disable-next-line no-control-regex -- the control characters are what must not get through
      expect(text).not.toMatch(/[\u0000\r\u202E]/);
    }
    expect(m.email.text.split('\n')[0]).toBe('Hello Ada Bcc: x@example.test ,');
  });
});
