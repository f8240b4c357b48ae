import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, httpOk, type ManagedProcess, spawnManaged, waitUntil } from '../../infra/processes';
import { Outbox, type OutboxMessage } from '../../services/sandbox/outbox';
import { TEST_SECRETS, testConfig } from '../helpers/config';
import { request } from '../helpers/http';

// The sandbox outbox is how people and tests check what the system sent (docs/sandbox.md): it must
// survive a crash-restart of the sandbox, or nobody can check messages sent before it for duplicates.
const root = path.resolve(__dirname, '../..');

describe('sandbox outbox persistence', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-outbox-'));
  const file = path.join(dir, 'outbox.jsonl');
  const { TWILIO_ACCOUNT_SID: sid } = testConfig();
  let sandbox: { proc: ManagedProcess; url: string } | null = null;
  afterAll(() => sandbox?.proc.stop());

  /** The sandbox process as `npm start` runs it (node --import tsx), with SANDBOX_OUTBOX_FILE. */
  async function startSandbox() {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ...TEST_SECRETS,
      MONGODB_URI: process.env.TEST_MONGODB_URI,
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      HOST: '127.0.0.1',
      SANDBOX_PORT: String(port),
      SANDBOX_OUTBOX_FILE: file,
    };
    const proc = spawnManaged('sandbox', process.execPath, ['--import', 'tsx', 'services/sandbox/main.ts'], {
      cwd: root,
      env,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntil('sandbox', () => httpOk(`${url}/healthz`), { timeoutMs: 30_000, proc });
    return { proc, url };
  }
  /** SIGKILL, no shutdown code runs: the sandbox itself (the watchdog's child), then its watchdog. */
  async function crash(s: { proc: ManagedProcess }) {
    const pid = Number(execFileSync('pgrep', ['-P', String(s.proc.child.pid)], { encoding: 'utf8' }).trim());
    process.kill(pid, 'SIGKILL');
    await s.proc.exited;
  }

  const sms = (url: string, to: string, body: string) =>
    request(`${url}/2010-04-01/Accounts/${sid}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:${TEST_SECRETS.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: to, From: '+15005550006', Body: body }).toString(),
    });
  const push = (url: string, token: string, key: string) =>
    request(`${url}/v1/projects/p/messages:send`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'idempotency-key': key },
      json: { message: { token, notification: { title: 'KYC', body: 'Your verification is in review' } } },
    });
  const outbox = async (url: string) =>
    (await request(`${url}/outbox`)).json as { messages: OutboxMessage[]; total: number };

  it('keeps every message across a crash-restart, and duplicates across it stay visible (and idempotent retries stay single)', async () => {
    sandbox = await startSandbox();
    expect((await sms(sandbox.url, '+2348000000001', 'Your code is 123456')).status).toBe(201);
    const first = await push(sandbox.url, 'device-token-1', 'notify-1.push');
    expect(first.status).toBe(200);
    const before = await outbox(sandbox.url);
    expect(before.total).toBe(2);

    await crash(sandbox);
    sandbox = await startSandbox();
    const after = await outbox(sandbox.url);
    expect(after).toEqual(before); // same messages, same ids, same order

    // A worker retrying its push with the same key after the restart: the first message's name, no second message.
    const retried = await push(sandbox.url, 'device-token-1', 'notify-1.push');
    expect(retried.json).toEqual(first.json);
    // A real duplicate (the same SMS sent again after the restart) is there next to the first one.
    expect((await sms(sandbox.url, '+2348000000001', 'Your code is 123456')).status).toBe(201);
    const all = (await outbox(sandbox.url)).messages;
    const copies = new Map<string, number>();
    for (const m of all)
      copies.set(`${m.channel}|${m.to}|${m.body}`, (copies.get(`${m.channel}|${m.to}|${m.body}`) ?? 0) + 1);
    expect(Object.fromEntries(copies)).toEqual({
      'sms|+2348000000001|Your code is 123456': 2,
      'push|device-token-1|Your verification is in review': 1,
    });
  }, 120_000);

  const message = (i: number): OutboxMessage => ({
    id: `m${i}`,
    channel: 'email',
    to: `u${i}@example.test`,
    body: 'x'.repeat(100),
    createdAt: new Date(0).toISOString(),
  });

  it('bounds the file: past maxFileBytes it rotates to <file>.1, and a restart reloads both, newest last', () => {
    const f = path.join(dir, 'rotating.jsonl');
    const box = new Outbox({ file: f, maxFileBytes: 1_000 });
    for (let i = 0; i < 30; i++) box.add(message(i));
    expect(statSync(f).size).toBeLessThanOrEqual(1_000);
    expect(statSync(`${f}.1`).size).toBeLessThanOrEqual(1_000);
    const reloaded = new Outbox({ file: f, maxFileBytes: 1_000 }).list().map((m) => m.id);
    // Newest first; older messages went with the rotated-away file, the latest ones are all there in order.
    expect(reloaded.length).toBeGreaterThan(5);
    expect(reloaded.length).toBeLessThan(30);
    expect(reloaded).toEqual(Array.from({ length: reloaded.length }, (_, k) => `m${29 - k}`));
  });

  it('skips a line torn by a crash mid-append, and the next message gets a line of its own', () => {
    const f = path.join(dir, 'torn.jsonl');
    new Outbox({ file: f }).add(message(1));
    appendFileSync(f, '{"id":"m2","chan'); // the process died here
    const box = new Outbox({ file: f });
    expect(box.list().map((m) => m.id)).toEqual(['m1']);
    box.add(message(3));
    expect(new Outbox({ file: f }).list().map((m) => m.id)).toEqual(['m3', 'm1']);
    expect(readFileSync(f, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('keeps the capacity newest in memory', () => {
    const box = new Outbox({ capacity: 3 });
    for (let i = 0; i < 5; i++) box.add(message(i));
    expect(box.list().map((m) => m.id)).toEqual(['m4', 'm3', 'm2']);
  });
});
