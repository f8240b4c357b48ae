import { randomInt } from 'node:crypto';

import { Client, Connection } from '@temporalio/client';

import { createServiceToken } from '../../adapters/identity/service-tokens';
import { createLogger } from '../../adapters/logger';
import { verificationRequestWorkflowId } from '../../domain/contracts/verification-request.contract';
import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { createSandboxApp } from '../../services/sandbox/app';
import { userWithToken } from '../helpers/auth';
import { TEST_OPS_TOKEN, testConfig } from '../helpers/config';
import { listen, request, type RunningServer } from '../helpers/http';
import { withRecordedNotifications } from '../helpers/recorded-notifications';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/** Any 11 digits outside the simulator's special numbers verify as a full match. */
const freshNumber = () => `${randomInt(3, 9)}${String(randomInt(0, 1e10)).padStart(10, '0')}`;

/** Every string and byte array anywhere inside `value`, as text. */
function allText(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('latin1'));
  else if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) allText(v, out);
  return out;
}

describe('BVN/NIN verification requests end to end', () => {
  let sandbox: RunningServer;
  let stack: TestStack;
  // The notifications engineer owns the real activity; this double records what would be sent.
  const { spec: onboardingWithRecorder, sent } = withRecordedNotifications(onboardingWorkerSpec);

  beforeAll(async () => {
    const config = testConfig();
    sandbox = await listen(
      createSandboxApp({ config, logger: createLogger({ level: 'silent', name: 'sandbox' }) }).app,
    );
    stack = await startTestStack({
      workers: [onboardingWithRecorder, kycWorkerSpec],
      config: { SMILE_ID_BASE_URL: sandbox.url },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await sandbox?.close();
  });

  async function tenantWithPeople() {
    const org = await stack.deps.models.Organization.create({ name: 'Bank', slug: `bank-${randomInt(1e9)}` });
    const staff = { tenantId: org._id, userType: 'staff' as const, role: 'org-staff' as const };
    const officer = await userWithToken(stack.deps.models, stack.deps.config, {
      ...staff,
      staffRole: 'COMPLIANCE_OFFICER',
    });
    const analyst = await userWithToken(stack.deps.models, stack.deps.config, { ...staff, staffRole: 'ANALYST' });
    const user = await userWithToken(stack.deps.models, stack.deps.config, {
      tenantId: org._id,
      firstName: 'Adá',
      lastName: 'Obi',
    });
    // The date of birth the matching needs, given over HTTP on the profile (never written into the database).
    expect(
      (
        await api(`/users/${user.user._id}`, {
          method: 'PUT',
          headers: user.headers,
          json: { dateOfBirth: '1991-03-12' },
        })
      ).status,
    ).toBe(200);
    return { org, officer, analyst, user };
  }

  const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${stack.url}${path}`, init);
  const create = (headers: Record<string, string>, json: unknown) =>
    api('/users/notifications/verification-request', { method: 'POST', headers, json });
  const submit = (headers: Record<string, string>, json: unknown) =>
    api('/users/verification-requests/submit', { method: 'POST', headers, json });
  // 30 s: the lookup goes through the workflow, the providers worker and the sandbox, on a machine
  // the whole suite loads (15 s was tight).
  const waitForStatus = (headers: Record<string, string>, requestId: string, status: string) =>
    waitFor(
      async () => (await api(`/users/verification-requests/${requestId}`, { headers })).json?.data,
      (body) => body?.status === status,
      30_000,
    );

  it('creates, submits, verifies — and no plaintext number reaches MongoDB or Temporal history', async () => {
    const { officer, user } = await tenantWithPeople();
    const created = await create(officer.headers, { userId: user.user._id, types: ['bvn'], reason: 'Tier upgrade' });
    expect(created.status).toBe(202);
    const { requestId } = created.json.data;
    expect(created.json.data).toMatchObject({ status: 'created', types: ['bvn'], numbers: { bvn: null } });

    const again = await create(officer.headers, { userId: user.user._id, types: ['bvn', 'nin'] });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('VERIFICATION_REQUEST_ALREADY_OPEN');

    const bvn = freshNumber();
    const accepted = await submit(user.headers, { requestId, bvn });
    expect(accepted.status).toBe(202);
    expect(accepted.json.data).toMatchObject({ requestId, status: 'submitted', attempt: 1 });

    const done = await waitForStatus(user.headers, requestId, 'verified');
    expect(done.numbers.bvn).toBe(`********${bvn.slice(-3)}`);
    expect(done.transitions.map((t: { status: string }) => t.status)).toEqual([
      'created',
      'notified',
      'submitted',
      'verifying',
      'verified',
    ]);
    const profile = await stack.deps.models.User.findById(user.user._id).lean();
    expect(profile?.kycLevel).toBe('basic');
    expect(
      await stack.deps.models.AuditEvent.countDocuments({
        subject: user.user._id,
        action: 'user.kyc_level',
        to: 'basic',
      }),
    ).toBe(1);
    // The "verified" message is sent after the status is persisted: wait for the workflow to finish.
    expect(await stack.deps.temporal.workflow.getHandle(verificationRequestWorkflowId(requestId)).result()).toEqual({
      status: 'verified',
      attempts: 1,
    });
    expect(
      sent.filter((n) => n.notificationId.startsWith(verificationRequestWorkflowId(requestId))).map((n) => n.event),
    ).toEqual(['identity_number_request', 'identity_number_verified']);

    // The raw MongoDB document: sealed value and last 3 digits only.
    const raw = await stack.deps.db.db!.collection('verificationRequests').findOne({ _id: requestId as never });
    expect(JSON.stringify(raw)).not.toContain(bvn);
    expect((raw as unknown as { numbers: { bvn: { sealed: string } } }).numbers.bvn.sealed).toMatch(/^v1\./);

    // The raw Temporal history, read with a client that has NO codec: encrypted bytes only.
    const connection = await Connection.connect({ address: stack.deps.config.TEMPORAL_ADDRESS });
    try {
      const rawClient = new Client({ connection });
      const history = await rawClient.workflow.getHandle(verificationRequestWorkflowId(requestId)).fetchHistory();
      const texts = allText(history);
      expect(texts.length).toBeGreaterThan(50);
      for (const t of texts) expect(t).not.toContain(bvn);
      expect(texts).toContain('binary/encrypted');
      // Nor can the decrypted payloads reveal it: the workflow only ever held the sealed value.
      const decoded = await stack.deps.temporal.workflow
        .getHandle(verificationRequestWorkflowId(requestId))
        .fetchHistory();
      for (const t of allText(decoded)) expect(t).not.toContain(bvn);
    } finally {
      await connection.close();
    }

    // Operators find requests by search attributes (the README's queries): status, tenant, type, due date.
    const query = `WorkflowType = 'verificationRequest' AND TenantId = '${user.user.tenantId}' AND VerificationStatus = 'verified' AND VerificationType = 'bvn' AND DueAt > '${new Date().toISOString()}'`;
    // Visibility catches up asynchronously (5 s was tight under load).
    const found = await waitFor(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.deps.temporal.workflow.list({ query })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.length > 0,
      30_000,
    );
    expect(found).toEqual([verificationRequestWorkflowId(requestId)]);

    const closed = await submit(user.headers, { requestId, bvn });
    expect(closed.status).toBe(409);
    expect(closed.json.error.code).toBe('VERIFICATION_REQUEST_CLOSED');
  });

  it('checks formats at the edge, scopes reads, cancels, and lists stuck requests for admins', async () => {
    const { officer, analyst, user } = await tenantWithPeople();
    const other = await tenantWithPeople();

    expect((await create(user.headers, { userId: user.user._id, types: ['nin'] })).status).toBe(403);
    expect((await create(analyst.headers, { userId: user.user._id, types: ['nin'] })).status).toBe(403);
    expect((await create(other.officer.headers, { userId: user.user._id, types: ['nin'] })).status).toBe(404);
    const created = await create(officer.headers, { userId: user.user._id, types: ['nin'] });
    expect(created.status).toBe(202);
    const { requestId } = created.json.data;

    const short = await submit(user.headers, { requestId, nin: '1234567890' });
    expect(short.status).toBe(400);
    expect(short.text).not.toContain('1234567890');
    expect((await submit(user.headers, { requestId })).json.error.code).toBe('MISSING_IDENTITY_NUMBER');
    expect((await submit(user.headers, { requestId, nin: freshNumber(), bvn: freshNumber() })).json.error.code).toBe(
      'UNEXPECTED_IDENTITY_NUMBER',
    );
    expect((await submit(other.user.headers, { requestId, nin: freshNumber() })).status).toBe(404);
    expect((await api(`/users/verification-requests/${requestId}`, { headers: other.officer.headers })).status).toBe(
      404,
    );

    const mine = await api('/users/verification-requests', { headers: user.headers });
    expect(mine.json.data.items.map((r: { requestId: string }) => r.requestId)).toEqual([requestId]);
    const tenant = await api(`/users/verification-requests?type=nin&userId=${user.user._id}`, {
      headers: officer.headers,
    });
    expect(tenant.json.data.total).toBe(1);
    expect((await api('/users/verification-requests', { headers: other.officer.headers })).json.data.total).toBe(0);

    await waitForStatus(user.headers, requestId, 'notified');
    const cancelled = await api(`/users/verification-requests/${requestId}/cancel`, {
      method: 'POST',
      headers: officer.headers,
      json: { reason: 'duplicate' },
    });
    expect(cancelled.status).toBe(202);
    const final = await waitForStatus(user.headers, requestId, 'cancelled');
    expect(final.transitions.at(-1)).toMatchObject({ status: 'cancelled', reason: 'duplicate' });
    expect((await submit(user.headers, { requestId, nin: freshNumber() })).json.error.code).toBe(
      'VERIFICATION_REQUEST_CLOSED',
    );
    // The lock is released: a new request of the same type may be created.
    expect((await create(officer.headers, { userId: user.user._id, types: ['nin'] })).status).toBe(202);

    // A request stuck in verifying for two hours (e.g. a provider outage) shows up for admins.
    const stuckAt = new Date(Date.now() - 2 * 3_600_000);
    await stack.deps.models.VerificationRequest.create({
      tenantId: officer.user.tenantId,
      userId: other.user.user._id,
      types: ['bvn'],
      dueAt: new Date(Date.now() + 86_400_000),
      createdBy: officer.user._id,
      status: 'verifying',
      statusAt: stuckAt,
      maxSubmissions: 3,
      lockBvn: `stuck-${randomInt(1e9)}`,
      lockNin: `stuck-${randomInt(1e9)}`,
    });
    expect((await api('/admin/verification-requests/stuck', { headers: officer.headers })).status).toBe(403);
    const admin = await userWithToken(stack.deps.models, stack.deps.config, {
      userType: 'internal-admin',
      role: 'admin',
    });
    const stuck = await api('/admin/verification-requests/stuck', { headers: admin.headers });
    expect(stuck.status).toBe(200);
    expect(stuck.json.data.stuck.map((r: { status: string }) => r.status)).toContain('verifying');
    // How long each has been stuck (issue 11): about two hours, counted from statusAt.
    const twoHours = stuck.json.data.stuck.find((r: { statusAt: string }) => r.statusAt === stuckAt.toISOString());
    expect(twoHours.stuckSince).toBe(stuckAt.toISOString());
    expect(twoHours.stuckForSeconds).toBeGreaterThanOrEqual(7200);
    expect(twoHours.stuckForSeconds).toBeLessThan(7200 + 600);
  });

  it('serves the codec endpoint to operators only, with CORS for the Temporal UI', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('{"a":1}').toString('base64'),
    };
    expect((await api('/codec/encode', { method: 'POST', json: { payloads: [plain] } })).status).toBe(401);
    const ops = { authorization: `Bearer ${TEST_OPS_TOKEN}` };
    const encoded = await api('/codec/encode', { method: 'POST', headers: ops, json: { payloads: [plain] } });
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.json.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const decoded = await api('/codec/decode', { method: 'POST', headers: ops, json: encoded.json });
    expect(decoded.json.payloads[0]).toEqual(plain);

    const preflight = await fetch(`${stack.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    const foreign = await fetch(`${stack.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets an internal system create a request with a scoped service token, and only with that scope', async () => {
    const { user } = await tenantWithPeople();
    const scoped = await createServiceToken(stack.deps.models, {
      name: 'core-banking',
      scopes: ['verification-requests:create'],
    });
    const unscoped = await createServiceToken(stack.deps.models, { name: 'mailer', scopes: ['notifications:send'] });
    const denied = await create(
      { authorization: `Bearer ${unscoped.token}` },
      { userId: user.user._id, types: ['nin'] },
    );
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('INSUFFICIENT_SCOPE');
    const created = await create(
      { authorization: `Bearer ${scoped.token}` },
      { userId: user.user._id, types: ['nin'] },
    );
    expect(created.status).toBe(202);
    const record = await stack.deps.models.VerificationRequest.findById(created.json.data.requestId).lean();
    expect(record?.createdBy).toBe('service:core-banking');
    const audit = await stack.deps.models.AuditEvent.findOne({
      subject: user.user._id,
      action: 'verification_request.created',
    }).lean();
    expect(audit?.actor).toBe('service:core-banking');
  });
});
