// First, for its side effect: zod 4 schemas get `.openapi` only if created after the extension, and
// the route modules below create theirs at import (the import sort had put this one after them).
import './openapi/document';

import express, { type Express } from 'express';

import { analyticsRouter } from './analytics/analytics-routes';
import { analyticsDashboardRouter } from './analytics/dashboard-router';
import { createAuthKit } from './auth/auth-kit';
import { authRouter } from './auth/auth-routes';
import { orgInvitationsRouter } from './auth/org-invitations-routes';
import { passwordRecoveryRouter } from './auth/password-recovery-routes';
import { passwordSetupRouter } from './auth/password-setup-routes';
import { registerCaseMetrics } from './cases/case-metrics';
import { caseRoutes } from './cases/case-routes';
import { casesPageRouter } from './cases/cases-page-router';
import type { ApiDeps } from './deps';
import { allowedOrigins, cors } from './http/cors';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { methodNotAllowed } from './http/method-not-allowed';
import { createMetrics } from './http/metrics';
import { requestContext } from './http/request-context';
import { notificationSettingsRouter } from './notifications/notification-settings-routes';
import { notificationsRouter } from './notifications/notifications-routes';
import { onboardingRouter } from './onboarding/onboarding-routes';
import { docsRouter } from './openapi/docs-page';
import { buildOpenApiDocument, createOpenApiRegistry } from './openapi/document';
import { partnerKycRouter } from './partner/partner-kyc-routes';
import { userTokensRouter } from './partner/user-tokens-routes';
import { codecRouter } from './system/codec-routes';
import { probesRouter } from './system/probes-routes';
import { systemRouter } from './system/system-routes';
import { transactionsRouter } from './transactions/transactions-routes';
import { auditRouter } from './users/audit-routes';
import { currentUserRouter } from './users/current-user-routes';
import { profileRouter } from './users/profile-routes';
import { tenantUsersRouter } from './users/tenant-users-routes';
import { verificationRequestsRouter } from './verification-requests/verification-requests-routes';
import { notificationWebhooksRouter } from './webhooks/delivery-callback-routes';
import { kycWebhooksRouter } from './webhooks/kyc-webhook-routes';

/** Builds the Express app. It never listens: main.ts (or a test) decides where. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const registry = createOpenApiRegistry();
  const metrics = createMetrics(deps);
  registerCaseMetrics(metrics.registry, deps.models);
  // Routers that need a signed-in caller put `auth.requireUser` in their routes' `before`.
  const auth = createAuthKit(deps);
  // The documented routes, for tests that check every response against its schema.
  app.locals.openApiRegistry = registry;

  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(requestContext(deps.logger));
  app.use(metrics.middleware);
  // Before every router, so preflights are answered; /codec keeps its own policy (Temporal UI).
  app.use(cors(allowedOrigins(deps.config), (path) => path.startsWith('/codec')));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // 405 + Allow for a known path with a method it does not serve (reads the finished spec lazily).
  app.use(methodNotAllowed(() => openApiDocument));
  // Webhook routers that need the raw body for signature checks mount before the JSON parser.
  app.use(kycWebhooksRouter(deps, registry));
  app.use(notificationWebhooksRouter(deps, registry));
  // Partner KYC submits carry images: its routes parse their own bodies (PARTNER_KYC_BODY_LIMIT).
  app.use(partnerKycRouter(deps, registry, auth));
  app.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));

  app.use(systemRouter(deps, registry, metrics));
  app.use(probesRouter(deps, registry));
  app.use(authRouter(deps, registry, auth));
  app.use(currentUserRouter(deps, registry, auth));
  app.use(tenantUsersRouter(deps, registry, auth));
  app.use(orgInvitationsRouter(deps, registry, auth));
  app.use(passwordSetupRouter(deps, registry, auth));
  app.use(passwordRecoveryRouter(deps, registry, auth));
  app.use(userTokensRouter(deps, registry, auth));
  app.use(transactionsRouter(deps, registry));
  app.use(auditRouter(deps, registry, auth));
  app.use(onboardingRouter(deps, registry, auth.requireUser));
  app.use(verificationRequestsRouter(deps, registry, auth.requireUser));
  app.use(codecRouter(deps, registry, auth.requireUser));
  app.use(notificationsRouter(deps, registry, auth.requireUser));
  app.use(notificationSettingsRouter(deps, registry, auth.requireUser));
  app.use(analyticsRouter(deps, registry, auth));
  app.use(caseRoutes(deps, registry, auth));
  // Other /users routers go ABOVE this line: `/users/:userId` would capture `/users/<anything>`.
  app.use(profileRouter(deps, registry, auth));

  // The document is generated once, after every router has registered its routes.
  const openApiDocument = buildOpenApiDocument(registry);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(docsRouter());
  app.use(analyticsDashboardRouter());
  app.use(casesPageRouter());

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
