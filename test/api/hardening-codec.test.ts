import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

import { paths } from '../../infra/tools-paths';
import { TEST_OPS_TOKEN } from '../helpers/config';
import { request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';

const run = promisify(execFile);
const UI_KEY = 'codec-ui-key-0123456789abcdefghijklmnop';
const UI_ORIGIN = 'http://localhost:8233';

/**
 * Issue 16 item 2 and issue 11 item 6: the codec server answers what the Temporal CLI and Web UI
 * send, to operators (or the local UI's per-stack secret path) only.
 */
describe('hardening: codec server', () => {
  let stack: TestStack;
  let workflowId: string;
  const marker = `plaintext-marker-${randomUUID()}`;

  beforeAll(async () => {
    stack = await startTestStack({ config: { CODEC_UI_KEY: UI_KEY } });
    // A workflow whose input is encrypted in history (no worker needed: the start event holds it).
    workflowId = `codec-probe-${randomUUID()}`;
    await stack.deps.temporal.workflow.start('codecProbe', {
      workflowId,
      taskQueue: `${stack.deps.config.TASK_QUEUE_PREFIX}codec-probe`,
      args: [{ marker }],
    });
  });
  afterAll(async () => {
    await stack.deps.temporal.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
    await stack.close();
  });

  const temporalShow = (extra: string[]) =>
    run(
      paths.temporal,
      [
        'workflow',
        'show',
        '-w',
        workflowId,
        '--address',
        process.env.TEST_TEMPORAL_ADDRESS!,
        '--namespace',
        stack.deps.config.TEMPORAL_NAMESPACE,
        '--output',
        'json',
        ...extra,
      ],
      {
        timeout: 30_000,
      },
    ).then(
      (r) => ({ ok: true, out: r.stdout + r.stderr }),
      (e: { stdout?: string; stderr?: string; killed?: boolean; signal?: string }) => ({
        ok: false,
        out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
        timedOut: Boolean(e.killed || e.signal),
      }),
    );

  it('decodes through the real Temporal CLI with an operator token, promptly', async () => {
    const started = Date.now();
    const shown = await temporalShow([
      '--codec-endpoint',
      `${stack.url}/codec`,
      '--codec-auth',
      `Bearer ${TEST_OPS_TOKEN}`,
    ]);
    expect(shown).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeLessThan(20_000);
    const input = (out: string) => {
      const p = JSON.parse(out).events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
      return {
        encoding: Buffer.from(p.metadata.encoding, 'base64').toString(),
        data: Buffer.from(p.data, 'base64').toString(),
      };
    };
    expect(input(shown.out)).toEqual({ encoding: 'json/plain', data: JSON.stringify({ marker }) });
    // Without the codec the history holds ciphertext only.
    const raw = await temporalShow([]);
    expect(raw.ok).toBe(true);
    expect(input(raw.out).encoding).toBe('binary/encrypted');
    expect(input(raw.out).data).not.toContain(marker);
    // The human-readable form prints the decoded input as text.
    const text = await temporalShow([
      '--output',
      'text',
      '--detailed',
      '--codec-endpoint',
      `${stack.url}/codec`,
      '--codec-auth',
      `Bearer ${TEST_OPS_TOKEN}`,
    ]);
    expect(text.out).toContain(marker);
  });

  it('refuses the CLI without an operator token (an error, not plaintext, not a hang)', async () => {
    const shown = await temporalShow(['--codec-endpoint', `${stack.url}/codec`]);
    expect(shown.out).not.toContain(marker);
    expect(shown).toMatchObject({ ok: false, timedOut: false });
  });

  const decode = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    request(`${stack.url}${path}`, { method: 'POST', json, headers });
  const ops = { authorization: `Bearer ${TEST_OPS_TOKEN}` };

  it('answers {} (what the CLI sends for no payloads) with {"payloads": []}', async () => {
    for (const action of ['decode', 'encode']) {
      const res = await decode(`/codec/${action}`, {}, { ...ops, 'x-namespace': 'default' });
      expect([res.status, res.json]).toEqual([200, { payloads: [] }]);
    }
  });

  it('refuses a plain request without an operator token, and a wrong or missing UI key', async () => {
    expect((await decode('/codec/decode', { payloads: [] })).status).toBe(401);
    expect(
      (await decode('/codec/decode', { payloads: [] }, { authorization: 'Bearer not-the-token-0123456789abcdef' }))
        .status,
    ).toBe(401);
    expect((await decode(`/codec/ui/${UI_KEY.slice(0, -1)}x/decode`, { payloads: [] })).status).toBe(404);
    expect((await decode('/codec/ui//decode', { payloads: [] })).status).toBe(404);
  });

  it("serves the local UI through its secret path, with CORS for the UI's origin (preflight included)", async () => {
    const enc = await decode(
      '/codec/encode',
      {
        payloads: [
          {
            metadata: { encoding: Buffer.from('json/plain').toString('base64') },
            data: Buffer.from(JSON.stringify(marker)).toString('base64'),
          },
        ],
      },
      ops,
    );
    expect(enc.status).toBe(200);
    const preflight = await fetch(`${stack.url}/codec/ui/${UI_KEY}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type.*x-namespace/);
    const res = await decode(`/codec/ui/${UI_KEY}/decode`, enc.json, { origin: UI_ORIGIN, 'x-namespace': 'default' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(Buffer.from(res.json.payloads[0].data, 'base64').toString()).toBe(JSON.stringify(marker));
    const foreign = await fetch(`${stack.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a payload it cannot open with 400 UNDECODABLE_PAYLOAD, never a 500', async () => {
    const bogus = {
      metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') },
      data: Buffer.from('garbage').toString('base64'),
    };
    const res = await decode('/codec/decode', { payloads: [bogus] }, ops);
    expect([res.status, res.json.error?.code]).toEqual([400, 'UNDECODABLE_PAYLOAD']);
  });

  it('refuses CODEC_UI_KEY in production', () => {
    const { testConfig } = jest.requireActual('../helpers/config');
    expect(() => testConfig({ NODE_ENV: 'production', CODEC_UI_KEY: UI_KEY })).toThrow(/CODEC_UI_KEY/);
  });
});
