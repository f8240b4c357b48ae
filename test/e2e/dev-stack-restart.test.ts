import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { spawnManaged } from '../../infra/processes';
import { supervise, type Supervised } from '../../infra/supervisor';
import { paths } from '../../infra/tools-paths';
import { accessTokenFor } from '../helpers/auth';
import { TEST_OPS_TOKEN, TEST_SECRETS } from '../helpers/config';
import { request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';
import { workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';

jest.setTimeout(180_000);

/**
 * Issue 16 item 7: the dev runner's supervisor restarts a worker killed with SIGKILL (with a
 * visible line) while onboardings are in flight, and every one of them completes its step. The
 * worker is the real `services/onboarding-worker/main.ts` process, as `npm start` runs it.
 */
describe('dev stack: a killed worker comes back', () => {
  let stack: TestStack;
  let worker: Supervised;
  let bundleFile: string;
  const lines: string[] = [];
  const supervisorLines: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack(); // API only: the onboarding worker is the supervised child
    bundleFile = path.join(os.tmpdir(), `workflow-bundle-${randomUUID()}.js`);
    fs.writeFileSync(bundleFile, (await workflowBundle()).code);
    const dbUri = new URL(process.env.TEST_MONGODB_URI!);
    dbUri.pathname = `/${stack.deps.db.name}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      MONGODB_URI: dbUri.toString(),
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TASK_QUEUE_PREFIX: stack.deps.config.TASK_QUEUE_PREFIX,
      WORKFLOW_BUNDLE_PATH: bundleFile,
      OPS_TOKEN: TEST_OPS_TOKEN,
      ...TEST_SECRETS,
    };
    worker = supervise(
      'onboarding-worker',
      () =>
        spawnManaged('onboarding-worker', process.execPath, ['--import', 'tsx', 'services/onboarding-worker/main.ts'], {
          cwd: paths.root,
          env,
          onLine: (l) => lines.push(l),
        }),
      { log: (l) => supervisorLines.push(l), initialBackoffMs: 500 },
    );
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
    if (bundleFile) fs.rmSync(bundleFile, { force: true });
  });

  const workerPid = () =>
    Number(
      execFileSync('pgrep', ['-P', String(worker.current().child.pid)])
        .toString()
        .trim()
        .split('\n')[0],
    );
  const register = () =>
    request(`${stack.url}/users/register`, {
      method: 'POST',
      json: {
        email: `${randomUUID()}@example.test`,
        password: 'correct horse battery',
        firstName: 'Ada',
        lastName: 'Obi',
        country: 'NG',
      },
    });

  it('restarts the worker after kill -9, and onboardings in flight complete', async () => {
    await waitFor(() => lines.some((l) => l.includes('worker started')), Boolean, 90_000);
    const firstPid = workerPid();

    // Load: 10 registrations in flight, then the worker dies mid-way, then 10 more while it is down.
    const inFlight = Array.from({ length: 10 }, () => register());
    await new Promise((r) => setTimeout(r, 300));
    process.kill(firstPid, 'SIGKILL');
    const duringOutage = Array.from({ length: 10 }, () => register());

    const answers = await Promise.all([...inFlight, ...duringOutage]);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(worker.restarts()).toBe(1);
    // 137 = 128 + SIGKILL's 9: the watchdog names the signal that killed the child.
    expect(supervisorLines[0]).toMatch(
      /^onboarding-worker exited unexpectedly \(code 137\); restarting in 0\.5 s \(restart #1\)$/,
    );
    expect(supervisorLines[1]).toMatch(/^onboarding-worker restarted \(pid \d+\)$/);
    expect(workerPid()).not.toBe(firstPid);

    // Each onboarding finished its registration step and waits for the emailed code.
    for (const a of answers) {
      const user = await stack.deps.models.User.findById(a.json.data.userId).lean();
      const { headers } = await accessTokenFor(stack.deps.models, stack.deps.config, user!);
      const state = await request(`${stack.url}/users/${a.json.data.userId}/onboarding`, { headers });
      expect([state.status, state.json.data.step]).toEqual([200, 'awaiting_confirmation']);
    }
  });

  it('stops for good when asked (no restart after stop)', async () => {
    await worker.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(worker.restarts()).toBe(1);
    expect(worker.current().child.exitCode ?? worker.current().child.signalCode).not.toBeNull();
  });
});
