import express, { type Express } from 'express';
import { createAccessTokens } from './auth/access-tokens';
import { authenticate } from './auth/auth-context';
import type { ApiDeps } from './deps';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { createMetrics } from './http/metrics';
import { requestContext } from './http/request-context';
import { buildOpenApiDocument, createOpenApiRegistry } from './openapi/document';
import { docsRouter } from './openapi/docs-page';
import { notificationSettingsRouter } from './routes/notification-settings';
import { notificationWebhooksRouter } from './routes/notification-webhooks';
import { notificationsRouter } from './routes/notifications';
import { probesRouter } from './routes/probes';
import { systemRouter } from './routes/system';

/** Builds the Express app. It never listens: main.ts (or a test) decides where. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const registry = createOpenApiRegistry();
  const metrics = createMetrics();
  // Routers that need a signed-in caller put `requireUser` in their routes' `before`.
  const accessTokens = createAccessTokens(deps.config);
  const requireUser = authenticate({ models: deps.models, accessTokens });

  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(requestContext(deps.logger));
  app.use(metrics.middleware);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Webhook routers that need the raw body for signature checks mount before the JSON parser.
  app.use(notificationWebhooksRouter(deps, registry));
  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));

  app.use(systemRouter(deps, registry, metrics));
  app.use(probesRouter(deps, registry));
  app.use(notificationsRouter(deps, registry, requireUser));
  app.use(notificationSettingsRouter(deps, registry, requireUser));

  // The document is generated once, after every router has registered its routes.
  const openApiDocument = buildOpenApiDocument(registry, deps.config.API_PUBLIC_URL);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(docsRouter());

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
