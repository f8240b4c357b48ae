import { randomUUID } from 'node:crypto';

import { userWithToken } from '../helpers/auth';
import { TEST_OPS_TOKEN } from '../helpers/config';
import { request } from '../helpers/http';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

jest.setTimeout(300_000);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = any;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * Issue 16 item 9: the server conforms to its own /openapi.json. Generic: it reads the spec, so
 * routes added later are covered. For every operation it sends requests generated from the
 * schemas (valid ones, invalid ones, anonymous and authorised) and checks that each status is
 * documented for that operation, that nothing is a 500, that every body is the envelope, and that
 * 2xx bodies match the documented schema. Unknown methods on known paths must answer 405 + Allow.
 */
describe('conformance: the server answers what /openapi.json says', () => {
  let t: OnboardingStack;
  let spec: any;
  beforeAll(async () => {
    t = await startOnboardingStack({
      config: {
        RATE_LIMIT_LOGIN_PER_IP: '100000',
        RATE_LIMIT_REFRESH_PER_IP: '100000',
        RATE_LIMIT_REGISTER_PER_EMAIL: '100000',
        RATE_LIMIT_RESEND_PER_EMAIL: '100000',
      },
    });
    spec = (await request(`${t.stack.url}/openapi.json`)).json;
  });
  afterAll(() => t?.close());

  const resolve = (s: Schema): Schema => {
    if (s?.$ref)
      return resolve(
        s.$ref
          .split('/')
          .slice(1)
          .reduce((o: any, k: string) => o[k], spec),
      );
    return s;
  };

  /** A valid value for a schema (property-based in spirit: random ids, emails, sizes at the bounds). */
  const PATTERN_CANDIDATES = [
    '+2348012345678',
    'NG',
    '123456',
    '22200000001',
    'abcdefgh',
    'ABCDEFGH',
    'a',
    '1990-01-01',
    '#0F172A',
    'first-bank',
    'svc_abc',
    'en',
  ];
  function valid(s0: Schema): any {
    const s = resolve(s0) ?? {};
    if (s.allOf) return Object.assign({}, ...s.allOf.map(valid));
    // An object with "at least one of these" alternatives (anyOf of `required` lists): take the first.
    if (s.type === 'object' && s.anyOf)
      return valid({ ...s, anyOf: undefined, required: [...(s.required ?? []), ...(s.anyOf[0].required ?? [])] });
    if (s.anyOf || s.oneOf)
      return valid((s.anyOf ?? s.oneOf).find((x: Schema) => resolve(x).type !== 'null') ?? (s.anyOf ?? s.oneOf)[0]);
    if (s.enum) return s.enum[0];
    if ('default' in s) return s.default;
    switch (s.type) {
      case 'string': {
        if (s.format === 'email') return `${randomUUID().slice(0, 8)}@example.test`;
        if (s.format === 'uuid') return randomUUID();
        if (s.format === 'date-time') return new Date().toISOString();
        if (s.format === 'date') return '1990-01-01';
        if (s.format === 'uri') return 'https://example.test/x';
        if (s.pattern)
          return (
            PATTERN_CANDIDATES.find((c) => new RegExp(s.pattern, 'u').test(c) && c.length >= (s.minLength ?? 0)) ?? 'a'
          );
        return 'Abcdefghij1!'.padEnd(s.minLength ?? 1, 'x').slice(0, s.maxLength ?? 100);
      }
      case 'integer':
      case 'number':
        return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      case 'boolean':
        return true;
      case 'array':
        return s.minItems ? Array.from({ length: s.minItems }, () => valid(s.items)) : [];
      default: {
        const out: Record<string, any> = {};
        for (const k of s.required ?? []) out[k] = valid(s.properties?.[k] ?? {});
        return out;
      }
    }
  }

  /** Which parts of a body do not match a schema (a small JSON-schema check: types, required, enums). */
  function mismatches(v: any, s0: Schema, at = '$'): string[] {
    const s = resolve(s0) ?? {};
    if (v === null)
      return s.nullable ||
        s.type === 'null' ||
        (!s.type && !s.anyOf && !s.oneOf && !s.allOf) ||
        (s.anyOf ?? s.oneOf ?? []).some((x: Schema) => resolve(x).nullable || resolve(x).type === 'null')
        ? []
        : [`${at}: null`];
    if (s.allOf) return s.allOf.flatMap((x: Schema) => mismatches(v, x, at));
    if (s.anyOf || s.oneOf)
      return (s.anyOf ?? s.oneOf).some((x: Schema) => mismatches(v, x, at).length === 0)
        ? []
        : [`${at}: matches no alternative`];
    if (s.enum && !s.enum.includes(v)) return [`${at}: ${JSON.stringify(v)} not in enum`];
    const type = Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
    if (
      s.type &&
      !(s.type === type || (s.type === 'number' && type === 'integer') || (s.type === 'object' && type === 'object'))
    )
      return [`${at}: ${type}, documented ${s.type}`];
    if (type === 'array' && s.items) return v.flatMap((x: any, i: number) => mismatches(x, s.items, `${at}[${i}]`));
    if (type === 'object' && v) {
      const missing = (s.required ?? []).filter((k: string) => !(k in v)).map((k: string) => `${at}.${k}: missing`);
      const props = Object.entries(s.properties ?? {}).flatMap(([k, ps]) =>
        k in v ? mismatches(v[k], ps, `${at}.${k}`) : [],
      );
      return [...missing, ...props];
    }
    return [];
  }

  const operations = () =>
    Object.entries(spec.paths as Record<string, any>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
    );

  type Mode = 'valid' | 'badParams' | 'badQuery' | 'ownId';
  function build(path: string, op: any, mode: Mode, ownId: string) {
    const params = (op.parameters ?? []).map((p: any) => ({ ...p, schema: resolve(p.schema) }));
    let url = path;
    for (const p of params.filter((x: any) => x.in === 'path')) {
      const value = mode === 'badParams' ? 'not-an-id%00' : mode === 'ownId' ? ownId : String(valid(p.schema));
      url = url.replace(`{${p.name}}`, encodeURIComponent(value));
    }
    const query = new URLSearchParams();
    for (const p of params.filter((x: any) => x.in === 'query')) {
      if (mode === 'badQuery') query.set(p.name, '%%-not-valid-%%');
      else if (p.required) query.set(p.name, String(valid(p.schema)));
    }
    const headers: Record<string, string> = {};
    for (const p of params.filter((x: any) => x.in === 'header' && x.required))
      headers[p.name] = String(valid(p.schema));
    return { url: `${url}${query.size ? `?${query}` : ''}`, headers };
  }

  it('every operation answers only documented statuses, in the envelope, with 2xx bodies as documented', async () => {
    const violations: string[] = [];
    let sent = 0;
    const signIn = async (fields: object) => {
      const u = await userWithToken(t.stack.deps.models, t.stack.deps.config, fields);
      return { headers: u.headers, id: u.user._id };
    };
    for (const { path, method, op } of operations()) {
      const security: string[] = (op.security ?? []).flatMap((s: object) => Object.keys(s));
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const documented = new Set(Object.keys(op.responses));
      // Fresh sessions per operation, so a logout cannot spoil the rest.
      const callers: Record<string, { headers: Record<string, string>; id: string }> = {
        anonymous: { headers: {}, id: randomUUID() },
        admin: await signIn({ userType: 'internal-admin', role: 'super-admin' }),
        user: await signIn({}),
        ...(security.includes('opsToken')
          ? { ops: { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` }, id: randomUUID() } }
          : {}),
      };
      const cases: { name: string; mode: Mode; body?: string }[] = [
        { name: 'valid', mode: 'valid', body: bodySchema ? JSON.stringify(valid(bodySchema)) : undefined },
        ...(bodySchema
          ? [
              { name: 'empty body', mode: 'valid' as const, body: '{}' },
              {
                name: 'wrong types',
                mode: 'valid' as const,
                body: JSON.stringify(
                  Object.fromEntries(Object.keys(resolve(bodySchema).properties ?? {}).map((k) => [k, { $ne: null }])),
                ),
              },
              { name: 'not JSON', mode: 'valid' as const, body: '{"unterminated' },
            ]
          : []),
        ...((op.parameters ?? []).some((p: any) => p.in === 'path')
          ? [
              { name: 'bad path param', mode: 'badParams' as const },
              {
                name: 'own id',
                mode: 'ownId' as const,
                body: bodySchema ? JSON.stringify(valid(bodySchema)) : undefined,
              },
            ]
          : []),
        ...((op.parameters ?? []).some((p: any) => p.in === 'query')
          ? [{ name: 'bad query', mode: 'badQuery' as const }]
          : []),
      ];
      for (const c of cases) {
        for (const [who, caller] of Object.entries(callers)) {
          const { url, headers } = build(path, op, c.mode, caller.id);
          const res = await request(`${t.stack.url}${url}`, {
            method: method.toUpperCase(),
            headers: {
              ...headers,
              ...caller.headers,
              ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            body: c.body,
            signal: AbortSignal.timeout(30_000),
          }).catch((err: Error) => ({ status: -1, json: undefined, text: err.message, headers: new Headers() }));
          sent++;
          const where = `${method.toUpperCase()} ${path} [${c.name}, ${who}] → ${res.status}`;
          if (res.status === -1) violations.push(`${where}: ${res.text}`);
          else if (res.status >= 500 && !documented.has(String(res.status)))
            violations.push(`${where}: undocumented server error`);
          else if (res.status === 500) violations.push(`${where}: 500 ${res.text.slice(0, 120)}`);
          else if (!documented.has(String(res.status)))
            violations.push(`${where}: status not documented (${res.json?.error?.code ?? ''})`);
          else if (
            res.status >= 400 &&
            (res.json?.success !== false ||
              typeof res.json?.error?.code !== 'string' ||
              typeof res.json?.error?.message !== 'string')
          )
            violations.push(`${where}: not the error envelope`);
          else if (res.status < 300 && res.status !== 204) {
            const content = op.responses[String(res.status)]?.content ?? {};
            const schema = content['application/json']?.schema;
            const type = (res.headers.get('content-type') ?? '').split(';')[0];
            if (!(type in content) && Object.keys(content).length)
              violations.push(`${where}: content-type ${type}, documented ${Object.keys(content)}`);
            else if (type === 'application/json' && res.json === undefined) violations.push(`${where}: not JSON`);
            else if (schema) for (const m of mismatches(res.json, schema)) violations.push(`${where}: ${m}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(violations).toEqual([]);
  });

  it('answers 405 with Allow for an unknown method on every known path', async () => {
    const wrong: string[] = [];
    for (const [path, item] of Object.entries(spec.paths as Record<string, any>)) {
      const served = METHODS.filter((m) => item[m]);
      const other = METHODS.find((m) => !served.includes(m));
      if (!other) continue;
      const url = path.replace(/\{[^}]+\}/g, randomUUID());
      const res = await request(`${t.stack.url}${url}`, { method: other.toUpperCase() });
      const allow = (res.headers.get('allow') ?? '').split(', ');
      if (
        res.status !== 405 ||
        res.json?.error?.code !== 'METHOD_NOT_ALLOWED' ||
        !served.every((m) => allow.includes(m.toUpperCase()))
      ) {
        wrong.push(`${other.toUpperCase()} ${path} → ${res.status} Allow: ${allow.join(',')}`);
      }
    }
    expect(wrong).toEqual([]);
    // Unknown paths are still 404.
    expect((await request(`${t.stack.url}/no/such/path`, { method: 'DELETE' })).json.error.code).toBe(
      'ROUTE_NOT_FOUND',
    );
  });
});
