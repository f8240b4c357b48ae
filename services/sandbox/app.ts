import express, { type Express } from 'express';

import type { ProcessConfig } from '../../adapters/config';
import type { Logger } from '../../adapters/logger';
import { bridgeSimulator } from './bridge-simulator';
import { dashboardPage } from './dashboard-page';
import { Outbox } from './outbox';
import { pushRouter } from './push';
import { SANDBOX_DOC } from './sandbox-doc';
import { sendgridRouter } from './sendgrid';
import { smileIdSimulator } from './smile-id';
import { smileIdDocumentSimulator } from './smile-id-documents';
import { twilioRouter } from './twilio';
import { veriffSimulator } from './veriff-simulator';
import type { WebhookDelivery } from './webhook-sender';

export interface SandboxDeps {
  config: ProcessConfig<'sandbox'>;
  logger: Logger;
  outbox?: Outbox;
  /** Where provider webhooks go; default API_PUBLIC_URL (tests pass the API's random port). */
  apiUrl?: () => string;
  /** Webhook delivery; default the retrying sender. */
  deliver?: (d: WebhookDelivery) => Promise<unknown>;
}

/**
 * Provider simulators speaking the real wire shapes (docs/sandbox.md, also served at /docs). Each
 * simulator is a router mounted here; the outbox and control endpoints let a person or a test drive them.
 */
export function createSandboxApp(deps: SandboxDeps) {
  const outbox = deps.outbox ?? new Outbox();
  const app = express();
  app.disable('x-powered-by');
  const simulatorDeps = { ...deps, apiUrl: deps.apiUrl ?? (() => deps.config.API_PUBLIC_URL) };
  const veriff = veriffSimulator(simulatorDeps);
  const bridge = bridgeSimulator(simulatorDeps);
  app.use(veriff.router);
  app.use(bridge.router);
  app.get('/', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : undefined;
    res.type('html').send(
      dashboardPage({
        messages: outbox.list({ limit: q ? 1000 : 100 }),
        sessions: [...veriff.sessions.values()],
        links: [...bridge.links.values()],
        q,
      }),
    );
  });
  app.get('/docs', (_req, res) => {
    res.type('text/markdown').send(SANDBOX_DOC);
  });
  // Where users are sent (session and link URLs): here, the dashboard plays their part.
  app.get(['/veriff/session/:id', '/bridge/kyc/:id', '/bridge/tos/:id'], (_req, res) => res.redirect('/'));
  app.get('/sessions', (_req, res) => {
    res.json({ veriff: [...veriff.sessions.values()], bridge: [...bridge.links.values()] });
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/outbox', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const channel = typeof req.query.channel === 'string' ? req.query.channel : undefined;
    const limit = Math.min(Number(req.query.limit) || 200, 100_000);
    res.json({ messages: outbox.list({ to, channel, limit }), total: outbox.count() });
  });

  app.use(smileIdSimulator(deps.config));
  app.use(smileIdDocumentSimulator(deps.config));
  app.use(sendgridRouter({ ...deps, outbox }));
  app.use(twilioRouter({ ...deps, outbox }));
  app.use(pushRouter({ outbox }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return { app: app as Express, outbox, veriffSessions: veriff.sessions, bridgeLinks: bridge.links };
}
