import './extend-zod';

import { OpenApiGeneratorV3, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  // Security schemes referenced by route specs' `security` names.
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from POST /api/v1/auth/login',
  });
  registry.registerComponent('securitySchemes', 'clientId', {
    type: 'apiKey',
    in: 'header',
    name: 'x-client-id',
    description: 'Partner API client id (from `npm run ops -- create-api-client`)',
  });
  registry.registerComponent('securitySchemes', 'serviceToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'Service token (`svc_…`) from `npm run ops -- create-service-token`',
  });
  registry.registerComponent('securitySchemes', 'opsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The OPS_TOKEN configured for operators',
  });
  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The METRICS_TOKEN configured for Prometheus scrapers (GET /metrics)',
  });
  return registry;
}

/**
 * The server is relative (`/`): Swagger UI resolves it against the page it runs on, so "Try it
 * out" calls the API that served the docs, whether it was opened on localhost, 127.0.0.1 or a
 * public host behind a proxy.
 */
export function buildOpenApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'KYC orchestrator API',
      version: '0.1.0',
      description:
        'Onboarding and KYC orchestration on Temporal. Every response uses the envelope `{success, data}` or `{success: false, error: {code, message, details?}}`; every response carries `X-Request-Id`.',
    },
    servers: [{ url: '/', description: 'The API that served this document' }],
  });
}
