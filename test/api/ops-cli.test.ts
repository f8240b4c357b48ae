import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { loadDevSecrets } from '../../infra/dev-stack/dev-secrets';
import { request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

/**
 * Issue 11 item 5: the README's first command, `npm run ops -- create-tenant …`, run as a child
 * process with nothing exported but where the database is, and the dev secrets `npm start` wrote.
 */
describe('ops CLI against the local stack, as the README prints it', () => {
  let stack: TestStack;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startTestStack();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-cli-'));
    loadDevSecrets(dataDir, {}); // what `npm start` does on its first run
    // Only what a fresh shell has, plus where this test's database and data directory are.
    const dbUri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${stack.deps.db.name}`;
    env = { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: dbUri, KYC_DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await stack?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const ops = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    run(path.join(root, 'node_modules/.bin/tsx'), ['services/ops/main.ts', ...args], {
      cwd: root,
      env: { ...env, ...extraEnv },
      timeout: 60_000,
    });

  it('creates a tenant and its named BANK_ADMIN, who signs in and sees their name', async () => {
    const email = `admin-${Date.now()}@bank.test`;
    const { stdout } = await ops([
      'create-tenant',
      '--name',
      `First Bank ${Date.now()}`,
      '--admin-email',
      email,
      '--admin-password',
      'SecurePass123!',
      '--admin-first-name',
      'Ngozi',
      '--admin-last-name',
      'Okafor',
    ]);
    expect(stdout).toMatch(/^tenant [0-9a-f-]{36} \(slug first-bank-\d+\)\nBANK_ADMIN [0-9a-f-]{36}\n$/);

    const login = await request(`${stack.url}/api/v1/auth/login`, {
      method: 'POST',
      json: { email, password: 'SecurePass123!' },
    });
    expect(login.status).toBe(200);
    const me = await request(`${stack.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${login.json.data.accessToken}` },
    });
    expect(me.json.data).toMatchObject({ email, firstName: 'Ngozi', lastName: 'Okafor', role: 'BANK_ADMIN' });
  }, 120_000);

  it('kyc-catalog-set refuses the patterns that hung it or were polynomial, naming the field and why (it used to spin until killed)', async () => {
    const { stdout } = await ops(['kyc-catalog-list', '--country', 'KE']);
    const catalog = JSON.parse(stdout);
    const file = path.join(dataDir, 'ke-bad.json');
    for (const [regexp, why] of [
      ['^\\u{41', /needs the u flag/],
      ['(?<n', /unterminated group name/],
      ['^[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*$', /polynomial backtracking/],
    ] as const) {
      catalog.documents[0].requiredFields.id_number.regexp = regexp;
      fs.writeFileSync(file, JSON.stringify(catalog));
      const failed = await ops(['kyc-catalog-set', '--country', 'KE', '--file', file]).then(
        () => null,
        (e: { killed: boolean; code: number; stderr: string }) => e,
      );
      expect(failed).toMatchObject({ killed: false, code: 1 });
      expect(failed!.stderr).toMatch(
        /^ops: invalid KYC catalog:\n {2}- document 67e0a1000000000000000201 \(NATIONAL_ID\) field id_number: regexp .* refused \(super-linear backtracking risk or unsupported syntax\): /,
      );
      expect(failed!.stderr).toMatch(why);
    }
    expect((await ops(['kyc-catalog-list'])).stdout).toMatch(/^KE v1 /m); // nothing stored
  }, 240_000);

  it('says how to fix it when no stack ever ran, and never reads dev secrets in production', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-cli-empty-'));
    try {
      const args = [
        'create-tenant',
        '--name',
        'X Bank',
        '--admin-email',
        'x@bank.test',
        '--admin-password',
        'SecurePass123!',
      ];
      await expect(ops(args, { KYC_DATA_DIR: empty })).rejects.toMatchObject({
        stderr: expect.stringContaining('npm start'),
      });
      await expect(ops(args, { NODE_ENV: 'production' })).rejects.toMatchObject({
        stderr: expect.stringContaining('Invalid configuration'),
      });
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);
});
