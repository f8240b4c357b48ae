import express, { type Express } from 'express';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { Outbox } from './outbox';
import { pushRouter } from './push';
import { sendgridRouter } from './sendgrid';
import { twilioRouter } from './twilio';

export interface SandboxDeps {
  config: Config;
  logger: Logger;
  outbox?: Outbox;
}

/**
 * Provider simulators speaking the real wire shapes (see docs/providers.md). Each simulator is a
 * router mounted here; the outbox and control endpoints let a person or a test drive them.
 */
export function createSandboxApp(deps: SandboxDeps): { app: Express; outbox: Outbox } {
  const outbox = deps.outbox ?? new Outbox();
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/outbox', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const channel = typeof req.query.channel === 'string' ? req.query.channel : undefined;
    const limit = Math.min(Number(req.query.limit) || 200, 100_000);
    res.json({ messages: outbox.list({ to, channel, limit }), total: outbox.count() });
  });

  app.use(sendgridRouter({ ...deps, outbox }));
  app.use(twilioRouter({ ...deps, outbox }));
  app.use(pushRouter({ outbox }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return { app, outbox };
}
