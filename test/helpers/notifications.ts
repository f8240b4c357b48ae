import { createServiceToken, SERVICE_SCOPES } from '../../adapters/identity/service-tokens';
import { createLogger } from '../../adapters/logger';
import { freePort } from '../../infra/processes';
import type { WorkerProcessSpec } from '../../services/common/worker-runner';
import { createSandboxApp } from '../../services/sandbox/app';
import { Outbox } from '../../services/sandbox/outbox';
import { testConfig } from './config';
import { listen, type RunningServer } from './http';
import { startTestStack, type TestStack } from './stack';

export interface NotificationsStack {
  stack: TestStack;
  sandbox: RunningServer;
  outbox: Outbox;
  /** Service token with every scope. */
  serviceToken: string;
  close(): Promise<void>;
}

/**
 * API + sandbox wired to each other: the API's public URL must be known before the sandbox is
 * built (it posts signed callbacks there), so the API gets a port chosen up front.
 */
export async function startNotificationsStack(
  opts: { workers?: WorkerProcessSpec[]; config?: Record<string, string>; outbox?: Outbox } = {},
): Promise<NotificationsStack> {
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const sandboxConfig = testConfig({ API_PUBLIC_URL: apiUrl, ...opts.config });
  const outbox = opts.outbox ?? new Outbox();
  const sandbox = await listen(
    createSandboxApp({ config: sandboxConfig, logger: createLogger({ level: 'silent', name: 'sandbox' }), outbox }).app,
  );
  const stack = await startTestStack({
    port: Number(new URL(apiUrl).port),
    workers: opts.workers,
    config: { API_PUBLIC_URL: apiUrl, SANDBOX_URL: sandbox.url, ...opts.config },
  });
  const { token } = await createServiceToken(stack.deps.models, { name: 'test-system', scopes: [...SERVICE_SCOPES] });
  return {
    stack,
    sandbox,
    outbox,
    serviceToken: token,
    async close() {
      await stack.close();
      await sandbox.close();
    },
  };
}

export { eventually } from './wait';
