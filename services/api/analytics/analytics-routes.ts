import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { getAuth, requireRoles } from '../auth/auth-context';
import type { AuthKit } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { defineRoute, type RouteSpec, routesRouter } from '../http/route';
import * as q from './analytics-queries';
import { filterFor, rangeFor, rangeQuerySchema, scopeQuerySchema } from './analytics-scope';

const counts = z.record(z.string(), z.number().int());
const series = <T extends z.ZodRawShape>(shape: T) => z.array(z.object({ period: z.string(), ...shape }));
const rangeEcho = { from: z.string(), to: z.string(), interval: z.string() };

const schemas = {
  activeUsers: z.object({
    asOf: z.string(),
    activeStatus: z.number().int(),
    dailyActiveUsers: z.number().int(),
    weeklyActiveUsers: z.number().int(),
    monthlyActiveUsers: z.number().int(),
    windows: z.object({ daily: z.string(), weekly: z.string(), monthly: z.string() }),
  }),
  growth: z.object({
    ...rangeEcho,
    totals: z.object({ registrations: z.number(), activations: z.number() }),
    series: series({ registrations: z.number(), activations: z.number() }),
  }),
  funnel: z.object({
    from: z.string(),
    to: z.string(),
    steps: z.array(
      z.object({
        step: z.string(),
        count: z.number().int(),
        conversionFromPrevious: z.number().nullable(),
        conversionFromRegistered: z.number().nullable(),
        medianHoursFromPrevious: z.number().nullable(),
      }),
    ),
  }),
  status: z.object({ total: z.number().int(), byStatus: counts }),
  roles: z.object({ total: z.number().int(), byRole: counts, byUserType: counts }),
  levels: z.object({ total: z.number().int(), byLevel: counts, byPartnerTier: counts }),
  verification: z.object({
    total: z.number().int(),
    byStatus: counts,
    outcomes: z.object({
      verified: z.number().int(),
      failed: z.number().int(),
      failedByCode: counts,
      expired: z.number().int(),
      cancelled: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
    }),
    medianMinutesToVerify: z.number().nullable(),
  }),
  transactions: z.object({
    ...rangeEcho,
    groups: z.array(
      z.object({
        direction: z.string(),
        currency: z.string(),
        count: z.number().int(),
        sum: z.number(),
        average: z.number().nullable(),
        series: series({ count: z.number().int(), sum: z.number(), average: z.number().nullable() }),
      }),
    ),
  }),
  geography: z.object({
    total: z.number().int(),
    countries: z.array(z.object({ country: z.string().nullable(), total: z.number().int(), byStatus: counts })),
  }),
};

/**
 * Seed 000's nine analytics endpoints. Answers come from read models kept by the analytics roller
 * plus the changes not folded yet, so they are exact now (docs/analytics.md).
 */
export function analyticsRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const scopeQuery = scopeQuerySchema();
  const rangeQuery = rangeQuerySchema();
  const now = () => deps.now?.() ?? new Date();
  const before = [
    kit.requireUser,
    requireRoles({ userTypes: ['internal-admin'], staffRoles: ['BANK_ADMIN', 'ANALYST', 'AUDITOR'] }),
  ];
  const errors = {
    403: { description: 'Not an analytics reader (INSUFFICIENT_ROLE), or another tenant (FORBIDDEN_TENANT)' },
  };
  const rangeErrors = {
    400: {
      description: 'INVALID_RANGE (from after to), RANGE_TOO_LARGE, INVALID_DATE, VALIDATION_ERROR (unknown interval)',
    },
  };
  // Handlers answer `{ data }`; the data schema (one per endpoint) is checked against every reply in tests.
  type AnalyticsHandler = (ctx: Parameters<RouteSpec['handler']>[0]) => Promise<{ data: unknown }>;
  const route = (path: string, summary: string, data: z.ZodType, query: z.ZodObject, handler: AnalyticsHandler) => {
    const responses: RouteSpec['responses'] = { 200: { description: summary, data }, ...errors };
    if (query === rangeQuery) Object.assign(responses, rangeErrors);
    return defineRoute({
      method: 'get',
      path: `/users/analytics/${path}`,
      summary,
      tags: ['Analytics'],
      security: ['bearer'],
      before,
      request: { query },
      responses,
      handler: handler as unknown as RouteSpec['handler'],
    });
  };
  const m = deps.models;
  const routes = [
    route(
      'active-users',
      'Users with status active, and daily/weekly/monthly active users (UTC days)',
      schemas.activeUsers,
      scopeQuery,
      async ({ query, res }) => ({
        data: await q.activeUsers(m, filterFor(getAuth(res), query as never), now()),
      }),
    ),
    route(
      'growth',
      'Registrations and activations per UTC day, ISO week or month, gaps filled with zeros',
      schemas.growth,
      rangeQuery,
      async ({ query, res }) => {
        const f = filterFor(getAuth(res), query as never);
        return { data: await q.growth(m, f, rangeFor(query as never, now())) };
      },
    ),
    route(
      'kyc-funnel',
      'Funnel of a registration cohort: counts, conversion and median hours between steps',
      schemas.funnel,
      rangeQuery,
      async ({ query, res }) => {
        const f = filterFor(getAuth(res), query as never);
        return {
          data: await q.kycFunnel(m, f, rangeFor({ ...(query as never as object), interval: 'day' } as never, now())),
        };
      },
    ),
    route('status-distribution', 'Users per status', schemas.status, scopeQuery, async ({ query, res }) => ({
      data: await q.statusDistribution(m, filterFor(getAuth(res), query as never)),
    })),
    route(
      'role-distribution',
      'Users per role and per user type',
      schemas.roles,
      scopeQuery,
      async ({ query, res }) => ({
        data: await q.roleDistribution(m, filterFor(getAuth(res), query as never)),
      }),
    ),
    route(
      'kyc-levels',
      'Users per KYC level and per passed partner tier',
      schemas.levels,
      scopeQuery,
      async ({ query, res }) => ({
        data: await q.kycLevels(m, filterFor(getAuth(res), query as never)),
      }),
    ),
    route(
      'verification-requests',
      'BVN/NIN requests by outcome, and the median minutes to verify',
      schemas.verification,
      scopeQuery,
      async ({ query, res }) => {
        const f = filterFor(getAuth(res), query as never);
        return { data: await q.verificationRequests(m, { scope: f.scope, country: null }, now()) };
      },
    ),
    route(
      'transaction-averages',
      'Average, count and sum of transaction amounts by direction and currency',
      schemas.transactions,
      rangeQuery,
      async ({ query, res }) => {
        const f = filterFor(getAuth(res), query as never);
        return { data: await q.transactionAverages(m, f, rangeFor(query as never, now())) };
      },
    ),
    route(
      'geography',
      'Users per country, with the status split',
      schemas.geography,
      scopeQuery,
      async ({ query, res }) => ({
        data: await q.geography(m, filterFor(getAuth(res), query as never)),
      }),
    ),
  ];
  return routesRouter(registry, '', routes);
}
