import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { TEST_OPS_TOKEN } from '../helpers/config';
import { request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// The foundation's proof of the chain: HTTP → workflow → activities on every worker → database → HTTP.
describe('pipeline probe end to end', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ workers: [onboardingWorkerSpec, kycWorkerSpec, notificationsWorkerSpec] });
  });
  afterAll(() => stack?.close());

  it('reaches every worker and reads the result back from the database', async () => {
    const auth = { authorization: `Bearer ${TEST_OPS_TOKEN}` };
    const started = await request(`${stack.url}/ops/probes`, { method: 'POST', headers: auth });
    expect(started.status).toBe(202);
    const { probeId } = started.json.data;

    // Three workers' hops in turn: most of a minute on a loaded machine (10 s was too tight in CI).
    const probe = await waitFor(
      async () => (await request(`${stack.url}/ops/probes/${probeId}`, { headers: auth })).json.data,
      (p) => p.status !== 'running',
      45_000,
    );
    expect(probe.status).toBe('completed');
    expect(probe.completedAt).not.toBeNull();
    const prefix = stack.deps.config.TASK_QUEUE_PREFIX;
    expect(probe.hops.map((h: { taskQueue: string }) => h.taskQueue).sort()).toEqual(
      [`${prefix}kyc-providers`, `${prefix}notifications`, `${prefix}onboarding`].sort(),
    );

    // The API read what the activities wrote: check the document itself too.
    const doc = await stack.deps.models.SystemProbe.findById(probeId).lean();
    expect(Object.keys(doc!.hops ?? {})).toHaveLength(3);
  });

  it('answers 404 for a probe that does not exist', async () => {
    const res = await request(`${stack.url}/ops/probes/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` },
    });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
  });
});
