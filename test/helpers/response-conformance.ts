import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Responses of the APIs started by test stacks are checked against what their routes document
// (the same zod schemas /openapi.json is generated from): an undocumented status or a body that
// does not match its schema throws in the request helper, so the test that saw it fails.
const registries = new Map<string, OpenAPIRegistry>();

/**
 * What a route documents for `status`: its zod schema for the JSON body, `null` for a documented
 * answer without a JSON body, `undefined` when the status is not documented at all.
 */
export function documentedResponse(
  registry: OpenAPIRegistry,
  method: string,
  path: string,
  status: number,
): z.ZodType | null | undefined | 'no-route' {
  for (const d of registry.definitions) {
    if (d.type !== 'route' || d.route.method !== method.toLowerCase()) continue;
    const pattern = new RegExp(`^${d.route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const r = d.route.responses[status] as { content?: Record<string, { schema?: unknown }> } | undefined;
    if (!r) return undefined;
    const schema = r.content?.['application/json']?.schema;
    return schema instanceof z.ZodType ? schema : null;
  }
  return 'no-route';
}

export function checkResponsesOf(baseUrl: string, registry: OpenAPIRegistry) {
  registries.set(new URL(baseUrl).origin, registry);
}

export function assertDocumentedResponse(
  url: string,
  method: string,
  status: number,
  json: unknown,
  contentType: string | null,
) {
  const u = new URL(url);
  const registry = registries.get(u.origin);
  if (!registry) return;
  const documented = documentedResponse(registry, method, u.pathname, status);
  if (documented === 'no-route') return; // 404 ROUTE_NOT_FOUND, /docs, /openapi.json
  const where = `${method.toUpperCase()} ${u.pathname} → ${status}`;
  // 405 answers a method the path does not have: there is no operation to document it on (the
  // generic answer, with `Allow`, is checked by test/api/hardening-conformance.test.ts).
  if (documented === undefined && status === 405) return;
  if (documented === undefined) throw new Error(`${where}: this status is not in the route's documented responses`);
  if (documented === null || !contentType?.includes('application/json')) return;
  const parsed = documented.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${where}: the body does not match the documented schema (${issues})`);
  }
}
