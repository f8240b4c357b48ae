import type { RequestHandler } from 'express';

import { AppError } from './app-error';

/**
 * A known path with a method it does not serve answers 405 with `Allow` (RFC 9110 §15.5.6), not
 * 404: the path exists. Built from the OpenAPI document, so it knows every route defineRoute
 * registered. OPTIONS on a known path answers 204 with `Allow`. Mounted before the routers
 * (a parameterised route such as GET /users/:userId would otherwise take GET /users/register and
 * answer 401); the document is read on the first request, after every router registered.
 */
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function methodNotAllowed(document: () => { paths?: object }): RequestHandler {
  let routes: { pattern: RegExp; params: number; methods: string[] }[] | undefined;
  const build = () =>
    Object.entries((document().paths ?? {}) as Record<string, object>).map(([path, ops]) => {
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
      const methods = Object.keys(ops)
        .filter((m) => HTTP_METHODS.has(m))
        .map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      return { pattern, params: (path.match(/\{/g) ?? []).length, methods };
    });
  return (req, res, next) => {
    // CORS preflights belong to the routers that answer them (the codec server).
    if (req.method === 'OPTIONS' && req.headers.origin) return next();
    routes ??= build();
    // The most specific path wins: GET /users/register is not GET /users/{userId}.
    const matching = routes.filter((r) => r.pattern.test(req.path));
    const fewest = Math.min(...matching.map((r) => r.params));
    const allowed = [...new Set(matching.filter((r) => r.params === fewest).flatMap((r) => r.methods))];
    if (!allowed.length || allowed.includes(req.method)) return next();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', allow);
      res.status(204).end();
      return;
    }
    next(
      new AppError(
        405,
        'METHOD_NOT_ALLOWED',
        `${req.method} is not allowed on ${req.path}`,
        { allowed: allow.split(', ') },
        { Allow: allow },
      ),
    );
  };
}
