import { randomUUID } from 'node:crypto';

import { createLogger } from '../../adapters/logger';
import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { createSandboxApp } from '../../services/sandbox/app';
import { accessTokenFor } from './auth';
import { testConfig } from './config';
import { listen, request, type RunningServer } from './http';
import { withRecordedNotifications } from './recorded-notifications';
import { startTestStack, type TestStack } from './stack';
import { waitFor as waitUntil } from './wait';

/**
 * API + onboarding and kyc workers + the provider sandbox, wired to each other on free ports.
 * `requestNotification` is a recording test double (test/e2e/whole-system.test.ts uses the real one).
 */
export async function startOnboardingStack(opts: { config?: Record<string, string> } = {}) {
  let apiUrl = '';
  const sandboxConfig = testConfig(opts.config);
  const sandbox = createSandboxApp({
    config: sandboxConfig,
    logger: createLogger({ level: sandboxConfig.LOG_LEVEL, name: 'sandbox' }),
    apiUrl: () => apiUrl,
  });
  const sandboxServer: RunningServer = await listen(sandbox.app);
  const {
    spec: onboardingWithRecorder,
    sent: notifications,
    requests: notificationRequests,
  } = withRecordedNotifications(onboardingWorkerSpec);
  const stack: TestStack = await startTestStack({
    workers: [onboardingWithRecorder, kycWorkerSpec],
    config: {
      SANDBOX_URL: sandboxServer.url,
      ...opts.config,
    },
  });
  apiUrl = stack.url;

  const waitFor = <T>(read: () => Promise<T> | T, check: (v: T) => boolean, timeoutMs = 15_000) =>
    waitUntil(read, check, timeoutMs);

  const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${stack.url}${path}`, init);
  const ctl = (path: string, json: unknown = {}) => request(`${sandboxServer.url}${path}`, { method: 'POST', json });

  return {
    stack,
    sandbox: { url: sandboxServer.url, ...sandbox },
    /** As the emails would carry them (with a confirmation email's code); `notificationRequests` as requested. */
    notifications,
    notificationRequests,
    api,
    ctl,
    waitFor,
    /** The latest code sent to a user (from the recording notifications double). */
    async codeFor(userId: string, after = 0): Promise<string> {
      const sent = await waitFor(
        () => notifications.filter((n) => n.userId === userId && n.data.code),
        (list) => list.length > after,
      );
      return sent[sent.length - 1].data.code;
    },
    /** A bearer token as login (identity issue) would mint it. */
    async tokenFor(userId: string) {
      const user = await stack.deps.models.User.findById(userId).lean();
      return (await accessTokenFor(stack.deps.models, stack.deps.config, user!)).headers;
    },
    /** Registered, confirmed and signed in: ready for the KYC steps. */
    async confirmedUser(body: Record<string, unknown> = {}) {
      const email = `${randomUUID()}@example.test`;
      const reg = await api('/users/register', {
        method: 'POST',
        json: { email, password: 'correct horse battery', firstName: 'Ada', lastName: 'Obi', country: 'NG', ...body },
      });
      if (reg.status !== 201) throw new Error(`register failed: ${reg.text}`);
      const userId: string = reg.json.data.userId;
      const conf = await api('/users/confirm', { method: 'POST', json: { email, code: await this.codeFor(userId) } });
      if (conf.status !== 200) throw new Error(`confirm failed: ${conf.text}`);
      return { userId, email, headers: await this.tokenFor(userId) };
    },
    onboarding: (userId: string, headers: Record<string, string>) =>
      api(`/users/${userId}/onboarding`, { headers }).then((r) => r.json.data),
    async close() {
      await stack.close();
      await sandboxServer.close();
    },
  };
}

export type OnboardingStack = Awaited<ReturnType<typeof startOnboardingStack>>;
