import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';

import { pingDatabase } from '../../../adapters/database';
import { pingTemporal } from '../../../adapters/temporal-client';
import type { ApiDeps } from '../deps';
import { AppError } from '../http/app-error';
import { type Metrics, requireMetricsAccess } from '../http/metrics';
import { defineRoute, routesRouter } from '../http/route';

const checkSchema = z.object({ status: z.enum(['ok', 'unavailable']), latencyMs: z.number() });
const readinessSchema = z.object({
  status: z.literal('ready'),
  checks: z.object({ database: checkSchema, temporal: checkSchema }),
});

async function timed(fn: () => Promise<void>) {
  const start = performance.now();
  try {
    await fn();
    return { status: 'ok' as const, latencyMs: Math.round(performance.now() - start) };
  } catch {
    return { status: 'unavailable' as const, latencyMs: Math.round(performance.now() - start) };
  }
}

export function systemRouter(deps: ApiDeps, registry: OpenAPIRegistry, metrics: Metrics): Router {
  const routes = [
    defineRoute({
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process is up',
      tags: ['Operations'],
      responses: { 200: { description: 'Alive', data: z.object({ status: z.literal('ok') }) } },
      handler: () => ({ data: { status: 'ok' as const } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: Temporal and the database answer',
      tags: ['Operations'],
      responses: {
        200: { description: 'Ready', data: readinessSchema },
        503: { description: 'Not ready: error code NOT_READY, `details.checks` lists each dependency' },
      },
      handler: async () => {
        const [database, temporal] = await Promise.all([
          timed(() => pingDatabase(deps.db)),
          timed(() => pingTemporal(deps.temporal)),
        ]);
        const checks = { database, temporal };
        if (database.status !== 'ok' || temporal.status !== 'ok') {
          throw new AppError(503, 'NOT_READY', 'A dependency is unavailable', { checks });
        }
        return { data: { status: 'ready' as const, checks } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      description:
        'Open outside production unless METRICS_TOKEN is set. With METRICS_TOKEN: `Authorization: Bearer <METRICS_TOKEN>` (or the OPS_TOKEN). In production without METRICS_TOKEN: the OPS_TOKEN, unless METRICS_PUBLIC=true.',
      tags: ['Operations'],
      security: ['metricsToken', 'opsToken'],
      before: [requireMetricsAccess(deps.config)],
      responses: {
        200: { description: 'Prometheus text format', raw: { contentType: 'text/plain', schema: z.string() } },
        401: { description: 'UNAUTHORIZED: a token is required here and none or a wrong one was sent' },
        403: {
          description: 'METRICS_DISABLED: production with no METRICS_TOKEN, no OPS_TOKEN and METRICS_PUBLIC unset',
        },
      },
      handler: async ({ res }) => {
        res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
