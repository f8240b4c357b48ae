import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentedResponse } from '../../services/api/http/route';

// Responses of the APIs started by test stacks are checked against what their routes document
// (the same zod schemas /openapi.json is generated from): an undocumented status or a body that
// does not match its schema throws in the request helper, so the test that saw it fails.
const registries = new Map<string, OpenAPIRegistry>();

export function checkResponsesOf(baseUrl: string, registry: OpenAPIRegistry) {
  registries.set(new URL(baseUrl).origin, registry);
}

export function assertDocumentedResponse(url: string, method: string, status: number, json: unknown, contentType: string | null) {
  const u = new URL(url);
  const registry = registries.get(u.origin);
  if (!registry) return;
  const documented = documentedResponse(registry, method, u.pathname, status);
  if (documented === 'no-route') return; // 404 ROUTE_NOT_FOUND, /docs, /openapi.json
  const where = `${method.toUpperCase()} ${u.pathname} → ${status}`;
  if (documented === undefined) throw new Error(`${where}: this status is not in the route's documented responses`);
  if (documented === null || !contentType?.includes('application/json')) return;
  const parsed = documented.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${where}: the body does not match the documented schema (${issues})`);
  }
}
