import http from 'node:http';

import { appStack } from '../app-stack';
import { benchEmail, pool, registerBody, steps } from '../journey-steps';
import { closedLoop, send } from '../load';
import type { Scenario } from '../scenario';
import { errorNotes, options, type Pair, pairRows } from '../scenario-kit';

/**
 * POST /api/v1/auth/login and GET /api/v1/auth/me for confirmed users, interleaved with a bare
 * Express doing the same argon2id verify + JWT sign (login) and JWT verify + `_id` read (me).
 */
export const scenario: Scenario = {
  name: 'login',
  description: 'login and GET /api/v1/auth/me at 8 connections vs bare Express + the same argon2id/JWT code',
  async run(infra, args) {
    const o = options(args, { seconds: '5', rounds: '3', connections: '8', users: '8' });
    const app = await appStack(infra);
    const s = steps(app);
    const users = await pool(Array.from({ length: o.users }), 4, () => s.confirmed('login'));
    const agent = new http.Agent({ keepAlive: true });
    const bareUsers = await pool(Array.from({ length: o.users }), 4, async () => {
      const body = registerBody(benchEmail('bare-login'));
      const reg = JSON.parse(
        (await send(agent, app.bareUrl, { method: 'POST', path: '/register', body: JSON.stringify(body) })).body,
      ).data.userId as string;
      const login = JSON.parse(
        (
          await send(agent, app.bareUrl, {
            method: 'POST',
            path: '/login',
            body: JSON.stringify({ userId: reg, password: body.password }),
          })
        ).body,
      );
      return { userId: reg, password: body.password, token: login.data.accessToken as string };
    });
    agent.destroy();
    const password = registerBody('x').password;
    const loop = (
      base: string,
      next: (i: number) => Parameters<typeof closedLoop>[0]['next'] extends (i: number) => infer C ? C : never,
    ) => closedLoop({ base, connections: o.connections, durationMs: o.seconds * 1000, expect: 200, next });
    const login: Pair[] = [];
    const me: Pair[] = [];
    for (let r = 0; r < o.rounds; r++) {
      login.push({
        project: await loop(app.apiUrl, (i) => ({
          method: 'POST',
          path: '/api/v1/auth/login',
          body: JSON.stringify({ email: users[i % users.length].email, password }),
        })),
        baseline: await loop(app.bareUrl, (i) => ({
          method: 'POST',
          path: '/login',
          body: JSON.stringify({ userId: bareUsers[i % bareUsers.length].userId, password }),
        })),
      });
      me.push({
        project: await loop(app.apiUrl, (i) => ({
          method: 'GET',
          path: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${users[i % users.length].token}` },
        })),
        baseline: await loop(app.bareUrl, (i) => ({
          method: 'GET',
          path: '/me',
          headers: { authorization: `Bearer ${bareUsers[i % bareUsers.length].token}` },
        })),
      });
    }
    return {
      name: 'login',
      rows: [...pairRows('login', login), ...pairRows('GET /me', me)],
      notes: [
        ...errorNotes('login', login),
        ...errorNotes('me', me),
        `cells: min / median / max over ${o.rounds} interleaved rounds of ${o.seconds} s per side, ${o.connections} connections`,
      ],
    };
  },
};
