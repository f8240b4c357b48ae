import { createHash, timingSafeEqual } from 'node:crypto';

import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

import type { Config } from '../../../adapters/config';
import { AppError, unauthorized } from './app-error';
import { type BusinessMetricsDeps, registerBusinessGauges } from './business-metrics';

type MetricsConfig = Pick<Config, 'NODE_ENV' | 'METRICS_TOKEN' | 'METRICS_PUBLIC' | 'OPS_TOKEN'>;

/**
 * Who may read GET /metrics (README "Operating it", docs/hardening.md):
 * - METRICS_TOKEN set → a bearer token: METRICS_TOKEN (what Prometheus holds) or OPS_TOKEN;
 * - else METRICS_PUBLIC (default: true outside production) → anyone who reaches the port;
 * - else (production) → the bearer OPS_TOKEN; with no token configured at all, 403 METRICS_DISABLED.
 */
export function metricsAccess(
  config: MetricsConfig,
): { mode: 'public' } | { mode: 'token'; tokens: string[] } | { mode: 'disabled' } {
  if (config.METRICS_TOKEN)
    return { mode: 'token', tokens: [config.METRICS_TOKEN, ...(config.OPS_TOKEN ? [config.OPS_TOKEN] : [])] };
  if (config.METRICS_PUBLIC ?? config.NODE_ENV !== 'production') return { mode: 'public' };
  return config.OPS_TOKEN ? { mode: 'token', tokens: [config.OPS_TOKEN] } : { mode: 'disabled' };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The guard in front of GET /metrics: bearer tokens compared in constant time (as hashes). */
export function requireMetricsAccess(config: MetricsConfig): RequestHandler {
  const access = metricsAccess(config);
  if (access.mode === 'public') return (_req, _res, next) => next();
  if (access.mode === 'disabled') {
    return (_req, _res, next) =>
      next(
        new AppError(
          403,
          'METRICS_DISABLED',
          'Metrics need a token in production: set METRICS_TOKEN (or OPS_TOKEN), or METRICS_PUBLIC=true',
        ),
      );
  }
  const expected = access.tokens.map(digest);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const given = token ? digest(token) : null;
    // Every candidate is compared, so the time taken does not say which one matched.
    const ok = given !== null && expected.map((e) => timingSafeEqual(given, e)).includes(true);
    if (ok) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    next(unauthorized('A valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)'));
  };
}

/**
 * A registry per app instance (not prom-client's global) so tests can build many apps. With `business`
 * (the API's deps), the business gauges alerts.yml watches are computed at scrape time (business-metrics.ts).
 */
export function createMetrics(business?: BusinessMetricsDeps) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (business) registerBusinessGauges(registry, business);
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The matched pattern keeps label cardinality bounded; unmatched paths share one label.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
export type Metrics = ReturnType<typeof createMetrics>;
