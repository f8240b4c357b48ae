import { veriffSignature } from '../../adapters/providers/veriff/signature';
import { createApp } from '../../services/api/app';
import { apiWebhookSignals, type WebhookSignals } from '../../services/api/webhooks/webhook-signals';
import { TEST_SECRETS } from './config';
import { listen, request, type RunningServer } from './http';
import { checkResponsesOf } from './response-conformance';
import type { TestDeps } from './stack';

/**
 * Extra API instances on a test stack's database and Temporal (scale-out, a crashed instance), each
 * with the webhook dispatcher the test gives it, for one test file.
 *
 * - `start(webhookSignals)`: listens on a free port, checks its answers against its OpenAPI
 *   document, and answers its base URL;
 * - `track(webhookSignals)`: a dispatcher the test made itself (a survivor, a deferring one), to be
 *   stopped with the rest; answers it;
 * - `closeAll()`: closes every instance, then stops every dispatcher (stopping one twice is fine).
 *   Call in `afterAll`, before closing the stack.
 */
export function apiInstances(deps: () => TestDeps) {
  const servers: RunningServer[] = [];
  const dispatchers: WebhookSignals[] = [];
  const track = (webhookSignals: WebhookSignals) => {
    if (!dispatchers.includes(webhookSignals)) dispatchers.push(webhookSignals);
    return webhookSignals;
  };
  async function start(webhookSignals: WebhookSignals): Promise<string> {
    track(webhookSignals);
    const app = createApp({ ...deps(), webhookSignals });
    const server = await listen(app);
    checkResponsesOf(server.url, app.locals.openApiRegistry);
    servers.push(server);
    return server.url;
  }
  async function closeAll(): Promise<void> {
    for (const s of servers) await s.close();
    for (const d of dispatchers) await d.stop();
  }
  return { start, track, closeAll };
}

/** POST /users/webhook-kyc to `base`, signed as Veriff signs it. */
export function postVeriffTo(base: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return request(`${base}/users/webhook-kyc`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-auth-client': TEST_SECRETS.VERIFF_API_KEY,
      'x-hmac-signature': veriffSignature(TEST_SECRETS.VERIFF_SHARED_SECRET, body),
    },
    body,
  });
}

/**
 * A signed Veriff webhook posted to an API instance that "crashes" between its 200 and the signal:
 * its dispatcher is stopped before the instance starts (and no sweeper runs in tests), so the event
 * is acknowledged and left pending. The instance is closed again; answers the response.
 */
export async function postVeriffToCrashedInstance(deps: TestDeps, payload: unknown) {
  const crashed = apiWebhookSignals(deps);
  await crashed.stop();
  const server = await listen(createApp({ ...deps, webhookSignals: crashed }));
  try {
    return await postVeriffTo(server.url, payload);
  } finally {
    await server.close();
  }
}
