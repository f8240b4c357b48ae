import { randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';

import { createApp } from '../../services/api/app';
import { userWithToken } from '../helpers/auth';
import { testConfig } from '../helpers/config';
import { listen, request } from '../helpers/http';
import { bearer, login, userWithPassword } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

/** Issue 16 items 1, 3 and 6: lockout under bursts, forwarded addresses, claims and sessions. */
describe('hardening: sign-in', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ config: { AUTH_LOCKOUT_MAX_FAILURES: '10', RATE_LIMIT_LOGIN_PER_IP: '1000' } });
  });
  afterAll(() => stack.close());

  const burst = (email: string, passwords: string[], ipOf: (i: number) => string | null) =>
    Promise.all(
      passwords.map((password, i) => {
        const ip = ipOf(i);
        return request(`${stack.url}/api/v1/auth/login`, {
          method: 'POST',
          json: { email, password },
          headers: ip ? { 'x-forwarded-for': ip } : {},
        });
      }),
    );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several shapes, read by path
  const tally = (rs: { status: number; json: any }[]) => ({
    evaluatedWrong: rs.filter((r) => r.status === 401 && r.json.error.code === 'INVALID_CREDENTIALS').length,
    signedIn: rs.filter((r) => r.status === 200).length,
    locked: rs.filter((r) => r.status === 429 && r.json.error.code === 'ACCOUNT_LOCKED').length,
    other: rs.filter((r) => ![200, 401, 429].includes(r.status)).length,
  });

  it('evaluates exactly 10 of 50 wrong passwords sent at once from one address', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config);
    const t = tally(await burst(email, Array(50).fill('WrongPass123!'), () => null));
    expect(t).toEqual({ evaluatedWrong: 10, signedIn: 0, locked: 40, other: 0 });
    // The right password is refused afterwards too: the window is used up.
    expect((await login(stack.url, email)).json.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('evaluates at most 10 wrong passwords of 50 sent at once from 50 addresses, the right one among them', async () => {
    const { email, password } = await userWithPassword(stack.deps.models, stack.deps.config);
    const guesses = Array(50).fill('WrongPass123!');
    guesses[25] = password;
    const t = tally(await burst(email, guesses, (i) => `198.51.100.${i + 1}`));
    expect(t.other).toBe(0);
    expect(t.evaluatedWrong).toBeLessThanOrEqual(10);
    // A correct password hands its slot back (honest users are not locked out by signing in),
    // so at most one more wrong guess can take that slot: 10 wrong + the right one + 1.
    expect(t.evaluatedWrong + t.signedIn).toBeLessThanOrEqual(11);
    expect(t.evaluatedWrong + t.signedIn + t.locked).toBe(50);
  });

  it('lets an honest user sign in more than 10 times in a window', async () => {
    const { email } = await userWithPassword(stack.deps.models, stack.deps.config);
    for (let i = 0; i < 12; i++) expect((await login(stack.url, email)).status).toBe(200);
  });

  describe('TRUST_PROXY: per-IP limits', () => {
    // A window of its own, far from the other tests' hits from 127.0.0.1.
    const now = () => new Date(Date.UTC(2031, 0, 1, 0, 0, 10));
    const hits = async (url: string, ips: string[]) => {
      const out: number[] = [];
      for (const ip of ips)
        out.push(
          (await request(`${url}/api/v1/auth/login`, { method: 'POST', json: {}, headers: { 'x-forwarded-for': ip } }))
            .status,
        );
      return out;
    };

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const config = testConfig({ TRUST_PROXY: '10.9.9.9', RATE_LIMIT_LOGIN_PER_IP: '3' });
      const server = await listen(createApp({ ...stack.deps, config, now }));
      try {
        // Four "different clients" are one peer (127.0.0.1) to this API: the fourth is limited.
        expect(await hits(server.url, ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'])).toEqual([
          400, 400, 400, 429,
        ]);
      } finally {
        await server.close();
      }
    });

    it("honours a trusted proxy's X-Forwarded-For: each client has its own limit", async () => {
      const config = testConfig({ TRUST_PROXY: 'loopback', RATE_LIMIT_LOGIN_PER_IP: '3' });
      const server = await listen(
        createApp({ ...stack.deps, config, now: () => new Date(now().getTime() + 3_600_000) }),
      );
      try {
        expect(await hits(server.url, ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'])).toEqual([
          400, 400, 400, 400, 400,
        ]);
        expect(await hits(server.url, ['192.0.2.9', '192.0.2.9', '192.0.2.9', '192.0.2.9'])).toEqual([
          400, 400, 400, 429,
        ]);
        // A client cannot escape by prepending a forged address: the proxy appends the real one last.
        expect(await hits(server.url, ['6.6.6.6, 192.0.2.9'])).toEqual([429]);
      } finally {
        await server.close();
      }
    });

    it('parses hop counts and refuses values Express would misread', () => {
      expect(testConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
      expect(testConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toBe('10.0.0.0/8,loopback');
      expect(() => testConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
      expect(() => testConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    });
  });

  describe('access tokens: typed claims, live session', () => {
    const { keys, activeKid } = testConfig().JWT_SIGNING_KEYS;
    const sign = (claims: Record<string, unknown>, sub: unknown) => {
      const iat = Math.floor(Date.now() / 1000);
      const c = testConfig();
      return new SignJWT({ ...claims, sub } as never)
        .setProtectedHeader({ alg: 'HS256', kid: activeKid, typ: 'JWT' })
        .setIssuer(c.JWT_ISSUER)
        .setAudience(c.JWT_AUDIENCE)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + 600)
        .sign(keys.get(activeKid)!);
    };
    const me = (token: string) => request(`${stack.url}/api/v1/auth/me`, { headers: bearer(token) });

    it('refuses a correctly signed token whose claims have the wrong types', async () => {
      const admin = await userWithToken(stack.deps.models, stack.deps.config, {
        userType: 'internal-admin',
        role: 'admin',
      });
      const [, payload] = admin.token.split('.');
      const { sid } = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = [
        await sign({ tid: null, ver: 0, sid }, { $ne: null }),
        await sign({ tid: null, ver: 0, sid: { $ne: null } }, admin.user._id),
        await sign({ tid: { $ne: null }, ver: 0, sid }, admin.user._id),
        await sign({ tid: null, ver: '0', sid }, admin.user._id),
        await sign({ tid: null, ver: 0.5, sid }, admin.user._id),
        await sign({ tid: null, ver: 0, sid }, ''),
      ];
      for (const token of forged) {
        const res = await me(token);
        expect(res.status).toBe(401);
        expect(res.json.error.code).toBe('INVALID_TOKEN');
      }
      // The same claims, well typed, pass: the refusals above are about types, not the key.
      expect((await me(await sign({ tid: null, ver: 0, sid }, admin.user._id))).status).toBe(200);
    });

    it("refuses a token whose sid has no session record, or another user's session", async () => {
      const a = await userWithToken(stack.deps.models, stack.deps.config);
      const b = await userWithToken(stack.deps.models, stack.deps.config);
      const sidOfB = JSON.parse(Buffer.from(b.token.split('.')[1], 'base64url').toString()).sid;
      for (const sid of [randomUUID(), sidOfB]) {
        const res = await me(await sign({ tid: null, ver: 0, sid }, a.user._id));
        expect(res.status).toBe(401);
        expect(res.json.error.code).toBe('TOKEN_REVOKED');
      }
      expect((await me(a.token)).status).toBe(200);
    });
  });
});
