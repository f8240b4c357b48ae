import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { partnerKycWorkflowId, transactionHoldWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import { createApp } from '../../services/api/app';
import type { ApiDeps } from '../../services/api/deps';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { listen, request, type RunningServer } from '../helpers/http';
import { startNotificationsStack, type NotificationsStack } from '../helpers/notifications';
import { partnerTenant } from '../helpers/partner-kyc';
import { checkResponsesOf } from '../helpers/response-conformance';

const BVN = '67da909b739fc481aa525c45';
const person = { first_name: 'John', last_name: 'Doe', dob: '2000-01-01T00:00:00.000Z' };

/**
 * Issue 22: requests whose workflow (or notification) start failed because Temporal was out of
 * reach. Each is sent to an API instance whose Temporal client points at a dead address (port 1),
 * on the same database; the retry goes to the healthy instance, as a client retrying after a 503
 * would reach another instance or the same one once Temporal is back.
 */
describe('a failed workflow start leaves nothing a retry cannot mend', () => {
  let t: NotificationsStack;
  let down: RunningServer;
  let unreachable: Client;
  let p: Awaited<ReturnType<typeof partnerTenant>>;

  beforeAll(async () => {
    t = await startNotificationsStack({ workers: [onboardingWorkerSpec, notificationsWorkerSpec], config: { RATE_LIMIT_LOGIN_PER_IP: '10000' } });
    // Nothing listens on port 1; no retry interceptor, so each call fails at once instead of after ~20 s of retries.
    unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s', interceptors: [] }) });
    const app = createApp({ ...t.stack.deps, temporal: unreachable } as ApiDeps);
    down = await listen(app);
    checkResponsesOf(down.url, app.locals.openApiRegistry);
    p = await partnerTenant(t.stack.deps, `Failed Starts ${randomUUID().slice(0, 8)}`);
  }, 120_000);
  afterAll(async () => {
    await down?.close();
    await unreachable?.connection.close().catch(() => undefined);
    await t?.close();
  });

  const at = (base: string) => (path: string, init: Parameters<typeof request>[1] = {}) => request(`${base}${path}`, init);
  const api = (path: string, init: Parameters<typeof request>[1] = {}) => at(t.stack.url)(path, init);
  const workflowExists = (workflowId: string) =>
    t.stack.deps.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then(() => true, () => false);

  it('POST /transactions: a held transaction whose hold did not start answers 503; its retry starts the hold (200, not 409)', async () => {
    const email = `${randomUUID()}@example.com`;
    await api('/api/user/kyc/status', { method: 'POST', headers: { 'x-client-id': p.key }, json: { email, countryIsoCode: 'NG' } });
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const svc = { authorization: `Bearer ${p.serviceToken}` };
    const tx = { transactionId: `tx-${randomUUID()}`, userId, direction: 'onramp', amount: 25, currency: 'USD', createdAt: new Date().toISOString() };

    const failed = await at(down.url)('/transactions', { method: 'POST', headers: svc, json: tx });
    expect([failed.status, failed.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    const workflowId = transactionHoldWorkflowId(`${p.tenantId}:${tx.transactionId}`);
    expect(await workflowExists(workflowId)).toBe(false);

    const retried = await api('/transactions', { method: 'POST', headers: svc, json: tx });
    expect(retried.status).toBe(200);
    expect(retried.json.data).toMatchObject({ transactionId: tx.transactionId, status: 'held', requiredKycType: 'advanced' });
    expect(await workflowExists(workflowId)).toBe(true);
    // Retried again: the same answer, one hold.
    expect((await api('/transactions', { method: 'POST', headers: svc, json: tx })).status).toBe(200);
  });

  it('POST /api/user/kyc/submit: a submission whose workflow did not start answers 503 and leaves no sealed row; the retry submits', async () => {
    const email = `${randomUUID()}@example.com`;
    const headers = { 'x-client-id': p.key };
    await api('/api/user/kyc/status', { method: 'POST', headers, json: { email, countryIsoCode: 'NG' } });
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const body = { email, documentId: BVN, userFields: { ...person, id_number: '22200000001' } };

    const failed = await at(down.url)('/api/user/kyc/submit', { method: 'POST', headers, json: body });
    expect([failed.status, failed.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(await t.stack.deps.models.PartnerKycSubmission.countDocuments({ userId })).toBe(0);
    expect(await workflowExists(partnerKycWorkflowId(userId, BVN))).toBe(false);

    const retried = await api('/api/user/kyc/submit', { method: 'POST', headers, json: body });
    expect([retried.status, retried.json]).toEqual([200, { success: true }]);
    expect(await t.stack.deps.models.PartnerKycSubmission.countDocuments({ userId })).toBe(1);
    expect(await workflowExists(partnerKycWorkflowId(userId, BVN))).toBe(true);
  });
});
