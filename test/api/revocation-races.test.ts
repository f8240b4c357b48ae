import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { createLogger } from '../../adapters/logger';
import { createAccessTokens } from '../../services/api/auth/access-tokens';
import { createSessions } from '../../services/api/auth/sessions';
import { createServiceTokenCommand } from '../../services/ops/commands/create-service-token';
import { revokeServiceTokenCommand } from '../../services/ops/commands/revoke-service-token';
import { request } from '../helpers/http';
import { bearer } from '../helpers/identity';
import { startTestStack, type TestStack } from '../helpers/stack';

/**
 * Issue 22: a revocation must not be undone by a concurrent use of what it revokes. Every
 * service-token use writes `lastUsedAt`, every refresh `lastRefreshedAt`, on the same document as
 * `revokedAt`; on a database that rewrites whole documents without isolation (FerretDB 1.24
 * unpatched) a use in flight wrote `revokedAt: null` back, and the revoked token worked on.
 * Through the public surface, with the revocation the operator (ops CLI) or the user (logout) does.
 */
describe('revocations hold against concurrent use', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Hundreds of refreshes from 127.0.0.1: the per-IP limit would answer 429 instead.
    stack = await startTestStack({ config: { RATE_LIMIT_REFRESH_PER_IP: '1000000' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const REPETITIONS = 20;
  // 20 rounds of 16 concurrent requests on 2 cores beside another test file: 33–86 s seen in CI runs.
  const RACE_TEST_TIMEOUT_MS = 150_000;
  const LOOPS = 16;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const opsCtx = (args: Record<string, string>) => ({ config: stack.deps.config, models: stack.deps.models, args });

  it(
    `a revoked service token answers 401 from the next request on, while ${LOOPS} loops use it (${REPETITIONS} repetitions)`,
    async () => {
      let accepted = 0; // uses that began after the revoke returned and were let in
      let afterRevoke = 0;
      let stillLive = 0; // tokens found unrevoked at the end of a repetition
      for (let rep = 0; rep < REPETITIONS; rep++) {
        const created = await createServiceTokenCommand.run(
          opsCtx({ name: `race-${rep}`, scopes: 'notifications:read' }),
        );
        const token = created.split('\n')[0];
        const tokenId = /# id (\S+);/.exec(created)![1];
        let revokedAt = Infinity; // performance.now() when the revoke returned
        const loop = async () => {
          // Until two requests that began after the revoke have answered (the first must be refused already).
          for (let after = 0; after < 2;) {
            const began = performance.now();
            const res = await request(`${stack.url}/users/notifications/${randomUUID()}`, { headers: bearer(token) });
            if (began <= revokedAt) {
              expect([404, 401]).toContain(res.status); // let in (unknown notification), or already refused
              continue;
            }
            after++;
            afterRevoke++;
            if (res.status !== 401) accepted++;
          }
        };
        const loops = Array.from({ length: LOOPS }, loop);
        await sleep(20 + Math.random() * 60); // land in the middle of the traffic
        const out = await revokeServiceTokenCommand.run(opsCtx({ id: tokenId }));
        revokedAt = performance.now();
        expect(out).toContain(tokenId);
        await Promise.all(loops);
        // Usage writes are fire-and-forget: give stragglers a moment, then look again.
        await sleep(50);
        const doc = await stack.deps.models.ServiceToken.findById(tokenId).lean();
        const last = await request(`${stack.url}/users/notifications/${randomUUID()}`, { headers: bearer(token) });
        if (!doc?.revokedAt || last.status !== 401) stillLive++;
      }
      expect({ accepted, stillLive, afterRevoke }).toEqual({
        accepted: 0,
        stillLive: 0,
        afterRevoke: REPETITIONS * LOOPS * 2,
      });
    },
    RACE_TEST_TIMEOUT_MS,
  );

  it(
    `logout holds against the session's refresh in flight: ${LOOPS} sessions refreshing at once, each logged out mid-refresh (${REPETITIONS} repetitions)`,
    async () => {
      // A session is one refresh chain: each refresh spends its token, and presenting a token twice
      // revokes the session (reuse detection), so concurrent refreshes of ONE session would end it by
      // themselves. So: LOOPS sessions of one user refresh at once, and each is logged out while its
      // own refresh runs (the refresh is the only other writer of that session's document).
      const { config, models } = stack.deps;
      const accessTokenCodec = createAccessTokens(config);
      const sessions = createSessions({
        models,
        config,
        accessTokens: accessTokenCodec,
        logger: createLogger({ level: 'silent', name: 'test' }),
      });
      const user = await models.User.create({
        email: `${randomUUID()}@race.test`,
        firstName: 'Ada',
        lastName: 'Obi',
        status: 'active',
      });
      let refreshedAfterLogout = 0; // refreshes that began after the logout returned and got a new pair
      let acceptedAccess = 0; // sessions whose newest access token is still accepted after logout
      let lostLogouts = 0; // sessions found unrevoked after their logout
      let logouts = 0;
      let typicalRefreshMs = 100;
      for (let rep = 0; rep < REPETITIONS; rep++) {
        const took: number[] = [];
        await Promise.all(
          Array.from({ length: LOOPS }, async () => {
            const pair = await sessions.start(
              { _id: user._id, tenantId: null, tokenVersion: user.tokenVersion },
              'password',
            );
            const accessTokens = [pair.accessToken];
            let current = pair.refreshToken;
            let loggedOutAt = Infinity;
            const refresh = async () => {
              const began = performance.now();
              const res = await request(`${stack.url}/api/v1/auth/refresh`, {
                method: 'POST',
                json: { refreshToken: current },
              });
              expect([200, 401]).toContain(res.status);
              if (res.status === 200) {
                current = res.json.data.refreshToken;
                accessTokens.push(res.json.data.accessToken);
                if (began > loggedOutAt) refreshedAfterLogout++;
              }
              return performance.now() - began;
            };
            // The logout is aimed at the end of a refresh, where it writes lastRefreshedAt (the race
            // to lose), using how long refreshes took in the previous repetition.
            const inFlight = refresh();
            await sleep(typicalRefreshMs * (0.3 + 0.7 * Math.random()));
            const out = await request(`${stack.url}/api/v1/auth/logout`, {
              method: 'POST',
              headers: bearer(pair.accessToken),
            });
            expect(out.status).toBe(200);
            loggedOutAt = performance.now();
            logouts++;
            took.push(await inFlight);
            // The next round: the chain's refresh token is refused, and so is its newest access token
            // (the one that logged out if the refresh in flight was refused)...
            const [, me] = await Promise.all([
              refresh(),
              request(`${stack.url}/api/v1/auth/me`, { headers: bearer(accessTokens.at(-1)!) }),
            ]);
            if (me.status !== 401) acceptedAccess++;
            // ...and the record says revoked.
            const session = await models.AuthSession.findById(
              (await accessTokenCodec.verify(pair.accessToken)).sessionId,
            ).lean();
            if (!session?.revokedAt) lostLogouts++;
          }),
        );
        // The next repetition starts from empty collections: the embedded FerretDB finds a refresh
        // token by its hash by decoding every token stored (docs/architecture.md), which would make
        // this test's time grow with the square of its repetitions.
        await Promise.all([models.RefreshToken.deleteMany({}), models.AuthSession.deleteMany({})]);
        typicalRefreshMs = took.sort((a, b) => a - b)[took.length >> 1];
      }
      expect({ refreshedAfterLogout, acceptedAccess, lostLogouts, logouts }).toEqual({
        refreshedAfterLogout: 0,
        acceptedAccess: 0,
        lostLogouts: 0,
        logouts: REPETITIONS * LOOPS,
      });
    },
    RACE_TEST_TIMEOUT_MS,
  );
});
