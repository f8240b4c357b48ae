import { randomUUID } from 'node:crypto';

import { countWebhookDeliveries } from '../../adapters/models/webhook-delivery';
import { veriffSignature } from '../../adapters/providers/veriff/signature';
import { TEST_SECRETS } from '../helpers/config';
import { request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';

/** Issue 16 item 10: counters on shared documents stay exact under concurrent duplicates. */
describe('hardening: counters under concurrency', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('counts 50 concurrent deliveries of one webhook exactly, storing the event once', async () => {
    const userId = randomUUID();
    const body = JSON.stringify({
      id: randomUUID(),
      attemptId: 'att-1',
      feature: 'selfid',
      code: 7002,
      action: 'submitted',
      vendorData: userId,
      endUserId: userId,
    });
    const headers = {
      'content-type': 'application/json',
      'x-auth-client': TEST_SECRETS.VERIFF_API_KEY,
      'x-hmac-signature': veriffSignature(TEST_SECRETS.VERIFF_SHARED_SECRET, body),
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => request(`${stack.url}/users/webhook-kyc`, { method: 'POST', headers, body })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(answers.filter((a) => a.json.data.duplicate === false)).toHaveLength(1);
    const events = await stack.deps.models.WebhookEvent.find({ provider: 'veriff' }).lean();
    const mine = events.filter((e) => e._id.includes(JSON.parse(body).id));
    expect(mine).toHaveLength(1);
    expect(await countWebhookDeliveries(stack.deps.models.WebhookDelivery, mine[0]._id)).toBe(50);
  });
});
