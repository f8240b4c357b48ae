import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { Client, Connection } from '@temporalio/client';

import { loadConfig } from '../../adapters/config';
import { createDataConverter } from '../../adapters/data-converter';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import type { AppStack } from './app-stack';
import { type HttpCall, send } from './load';

// One person's onboarding over the public surfaces: the API, the sandbox outbox and the sandbox's
// provider controls (which send signed webhooks back), exactly as a user and the providers would.

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const PASSWORD = 'correct horse battery staple';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(base: string, c: HttpCall, expect: number) {
  const res = await send(agent, base, c);
  if (res.status !== expect) throw new Error(`${c.method} ${c.path}: ${res.status} ${res.body.slice(0, 300)}`);
  return res.body ? JSON.parse(res.body) : undefined;
}
const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}): HttpCall => ({
  method,
  path,
  body: JSON.stringify(body),
  headers,
});

export const registerBody = (email: string) => ({
  email,
  password: PASSWORD,
  firstName: 'Ada',
  lastName: 'Obi',
  country: 'NG',
});
export const benchEmail = (tag: string) => `${tag}-${randomUUID()}@example.test`;

/** Polls until `read` gives a value `ok` accepts (bounded). */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** 5xx answers met while polling, by route and status: reported by the scenarios, not fatal. */
export const serverErrors = new Map<string, number>();

let client: Promise<Client> | undefined;
async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  client ??= Connection.connect({ address: temporalAddress }).then(
    (connection) => new Client({ connection, dataConverter: dataConverter() }),
  );
  return fn(await client);
}
let temporalAddress = '';
let dataConverter: () => ReturnType<typeof createDataConverter> = () => createDataConverter({} as never);
/** Closes the Temporal client the journeys used (run.ts calls it at the end). */
export async function closeJourneyClient() {
  if (client) await (await client).connection.close();
  client = undefined;
}

export function steps(app: AppStack) {
  temporalAddress = app.env.TEMPORAL_ADDRESS!;
  dataConverter = () => createDataConverter(loadConfig(app.env));
  const api = (c: HttpCall, expect: number) => call(app.apiUrl, c, expect);
  const ctl = (path: string, body: unknown = {}) => call(app.sandboxUrl, json('POST', path, body), 200);
  const outbox = async (to: string) =>
    (await call(app.sandboxUrl, { method: 'GET', path: `/outbox?to=${encodeURIComponent(to)}&channel=email` }, 200))
      .messages as { body: string; createdAt: string }[];
  const self = {
    register: async (email: string) =>
      (await api(json('POST', '/users/register', registerBody(email)), 201)).data.userId as string,
    code: async (email: string) => {
      const msgs = await until(
        'confirmation code',
        () => outbox(email),
        (m) => m.some((x) => /\b\d{6}\b/.test(x.body)),
      );
      return /\b(\d{6})\b/.exec(msgs.find((x) => /\b\d{6}\b/.test(x.body))!.body)![1];
    },
    confirm: async (email: string, code: string) => api(json('POST', '/users/confirm', { email, code }), 200),
    login: async (email: string) =>
      (await api(json('POST', '/api/v1/auth/login', { email, password: PASSWORD }), 200)).data.accessToken as string,
    /** The onboarding state; a 5xx while polling (a query timing out under load) reads as "not yet" and is counted. */
    onboarding: async (userId: string, token: string) => {
      const res = await send(agent, app.apiUrl, {
        method: 'GET',
        path: `/users/${userId}/onboarding`,
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status >= 500) {
        serverErrors.set(
          `GET /users/{id}/onboarding ${res.status}`,
          (serverErrors.get(`GET /users/{id}/onboarding ${res.status}`) ?? 0) + 1,
        );
        return { step: null };
      }
      if (res.status !== 200)
        throw new Error(`GET /users/${userId}/onboarding: ${res.status} ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body).data;
    },
    async waitStep(userId: string, token: string, step: string) {
      // Once a second: the polling itself is load the cpu scenario would otherwise count.
      return until(
        `step ${step}`,
        () => self.onboarding(userId, token),
        (o) => o.step === step,
        180_000,
        1_000,
      );
    },
    /** Registered, confirmed, signed in. */
    async confirmed(tag: string) {
      const email = benchEmail(tag);
      const userId = await self.register(email);
      await self.confirm(email, await self.code(email));
      return { email, userId, token: await self.login(email) };
    },
    /** … and a Veriff session open (awaiting_kyc_submission). */
    async withVeriffSession(tag: string) {
      const u = await self.confirmed(tag);
      const auth = { authorization: `Bearer ${u.token}` };
      const session = (await api({ method: 'POST', path: `/users/${u.userId}/kyc-session`, headers: auth }, 201))
        .data as { sessionId: string };
      return { ...u, sessionId: session.sessionId };
    },
    /** … Veriff approved and a Bridge KYC link created (awaiting_bridge_approval). */
    async withBridgeLink(tag: string) {
      const u = await self.withVeriffSession(tag);
      await ctl(`/veriff/sessions/${u.sessionId}/decision`, { status: 'approved' });
      await self.waitStep(u.userId, u.token, 'awaiting_bridge_link');
      const auth = { authorization: `Bearer ${u.token}`, 'idempotency-key': randomUUID() };
      const link = (await api({ method: 'POST', path: `/users/${u.userId}/bridge-kyc`, headers: auth }, 200)).data as {
        kycLinkId: string;
      };
      return { ...u, kycLinkId: link.kycLinkId };
    },
    /** The whole journey: register → … → active. */
    async journey(tag: string) {
      const u = await self.withBridgeLink(tag);
      await ctl(`/bridge/kyc_links/${u.kycLinkId}/tos`);
      await ctl(`/bridge/kyc_links/${u.kycLinkId}/kyc`, { status: 'approved' });
      // Activation ends the workflow: its result is one long poll, not repeated reads.
      const outcome = await withClient((c) => c.workflow.getHandle(onboardingWorkflowId(u.userId)).result());
      if (outcome?.outcome !== 'active') throw new Error(`journey ended ${JSON.stringify(outcome)}`);
      return u;
    },
  };
  return self;
}

/** Runs `fn` for items with at most `n` at a time. */
export async function pool<T, R>(items: T[], n: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
