import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import type { Interval } from '../../../domain/rules/analytics-facts';
import { getAuth, requireRoles } from '../auth/auth-context';
import type { AuthKit } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { defineRoute, type RouteSpec, routesRouter } from '../http/route';
import type { Filter, Range } from './analytics-queries';
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

/** What one endpoint reads with: the caller's scope, the clock, and the parsed query's range. */
interface ReadContext {
  models: ApiDeps['models'];
  filter: Filter;
  now: Date;
  /** The query's range (range endpoints only); `interval` overrides the query's own. */
  range: (interval?: Interval) => Range;
}

/** One analytics endpoint: its path under /users/analytics, docs, query kind and read function. */
interface AnalyticsEndpoint {
  path: string;
  summary: string;
  data: z.ZodType;
  /** `scope`: tenantId/country; `range`: those plus from/to/interval (and the 400s they bring). */
  query: 'scope' | 'range';
  read: (ctx: ReadContext) => Promise<unknown>;
}

/** Seed 000's nine analytics endpoints, in the order they appear in /openapi.json. */
const ENDPOINTS: AnalyticsEndpoint[] = [
  {
    path: 'active-users',
    summary: 'Users with status active, and daily/weekly/monthly active users (UTC days)',
    data: schemas.activeUsers,
    query: 'scope',
    read: ({ models, filter, now }) => q.activeUsers(models, filter, now),
  },
  {
    path: 'growth',
    summary: 'Registrations and activations per UTC day, ISO week or month, gaps filled with zeros',
    data: schemas.growth,
    query: 'range',
    read: ({ models, filter, range }) => q.growth(models, filter, range()),
  },
  {
    path: 'kyc-funnel',
    summary: 'Funnel of a registration cohort: counts, conversion and median hours between steps',
    data: schemas.funnel,
    query: 'range',
    // A cohort by registration day: the range is checked as days whatever interval was asked.
    read: ({ models, filter, range }) => q.kycFunnel(models, filter, range('day')),
  },
  {
    path: 'status-distribution',
    summary: 'Users per status',
    data: schemas.status,
    query: 'scope',
    read: ({ models, filter }) => q.statusDistribution(models, filter),
  },
  {
    path: 'role-distribution',
    summary: 'Users per role and per user type',
    data: schemas.roles,
    query: 'scope',
    read: ({ models, filter }) => q.roleDistribution(models, filter),
  },
  {
    path: 'kyc-levels',
    summary: 'Users per KYC level and per passed partner tier',
    data: schemas.levels,
    query: 'scope',
    read: ({ models, filter }) => q.kycLevels(models, filter),
  },
  {
    path: 'verification-requests',
    summary: 'BVN/NIN requests by outcome, and the median minutes to verify',
    data: schemas.verification,
    query: 'scope',
    // Requests carry no country: only the tenant scope applies.
    read: ({ models, filter, now }) => q.verificationRequests(models, { scope: filter.scope, country: null }, now),
  },
  {
    path: 'transaction-averages',
    summary: 'Average, count and sum of transaction amounts by direction and currency',
    data: schemas.transactions,
    query: 'range',
    read: ({ models, filter, range }) => q.transactionAverages(models, filter, range()),
  },
  {
    path: 'geography',
    summary: 'Users per country, with the status split',
    data: schemas.geography,
    query: 'scope',
    read: ({ models, filter }) => q.geography(models, filter),
  },
];

/**
 * The analytics endpoints (ENDPOINTS), one handler shape for all. Answers come from read models
 * kept by the analytics roller plus the changes not folded yet, so they are exact now
 * (docs/analytics.md).
 */
export function analyticsRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const queries = { scope: scopeQuerySchema(), range: rangeQuerySchema() };
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
  const route = (e: AnalyticsEndpoint) => {
    const responses: RouteSpec['responses'] = { 200: { description: e.summary, data: e.data }, ...errors };
    if (e.query === 'range') Object.assign(responses, rangeErrors);
    const handler = async ({ query, res }: Parameters<RouteSpec['handler']>[0]) => {
      // The scope first: another tenant is a 403 before any range check.
      const filter = filterFor(getAuth(res), query as never);
      const at = now();
      const range = (interval?: Interval) =>
        rangeFor(
          { ...(query as { from?: string; to?: string; interval: Interval }), ...(interval && { interval }) },
          at,
        );
      return { data: await e.read({ models: deps.models, filter, now: at, range }) };
    };
    return defineRoute({
      method: 'get',
      path: `/users/analytics/${e.path}`,
      summary: e.summary,
      tags: ['Analytics'],
      security: ['bearer'],
      before,
      request: { query: queries[e.query] },
      responses,
      handler: handler as unknown as RouteSpec['handler'],
    });
  };
  return routesRouter(registry, '', ENDPOINTS.map(route));
}
