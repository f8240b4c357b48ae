import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';

import { redeemPasswordSetupToken } from '../../../adapters/identity/password-setup';
import type { ApiDeps } from '../deps';
import { AppError, badRequest } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { type AuthKit, requestIdOf } from './auth-kit';
import { newPasswordSchema } from './password-policy';

const MESSAGES = {
  INVALID_TOKEN: 'This link is not valid: ask your administrator for a new account invitation',
  TOKEN_EXPIRED: 'This link has expired: ask your administrator for a new one',
  TOKEN_USED: 'This link was already used: sign in with the password you chose',
} as const;

/** The welcome email's link: choose a password once, with the token from the link. */
export function passwordSetupRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const routes = [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password/set',
      summary: 'Choose your password with the link from your welcome email (works once)',
      description:
        'The token is the `token` parameter of the link in the staff welcome email (sent by POST /api/v1/auth/users). It works once and expires after ' +
        'PASSWORD_SETUP_TTL_HOURS (72 by default). Existing sessions of the user end. Then sign in with POST /api/v1/auth/login.',
      tags: ['Auth'],
      request: {
        body: z
          .object({ token: z.string().min(10).max(200), password: newPasswordSchema() })
          .meta({ id: 'SetPasswordRequest' }),
      },
      responses: {
        200: { description: 'Password set: sign in with it', data: z.object({ passwordSet: z.literal(true) }) },
        400: { description: 'INVALID_TOKEN or TOKEN_EXPIRED' },
        409: { description: 'TOKEN_USED: the link worked once already' },
      },
      handler: async ({ body, req }) => {
        const result = await redeemPasswordSetupToken(
          deps.models,
          body.token,
          await kit.passwords.hash(body.password),
          { requestId: requestIdOf(req) },
        );
        if (!result.ok) {
          if (result.reason === 'TOKEN_USED') throw new AppError(409, 'TOKEN_USED', MESSAGES.TOKEN_USED);
          throw badRequest(result.reason, MESSAGES[result.reason]);
        }
        return { data: { passwordSet: true as const } };
      },
    }),
  ];
  const router = routesRouter(registry, '', routes);
  router.use(setPasswordPage());
  return router;
}

// A minimal page for the link when no front end hosts one (PASSWORD_SETUP_URL unset). The script
// is a separate file so a strict Content-Security-Policy (no inline scripts) still works.
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Choose your password</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}input,button{font:inherit;padding:.4rem;width:100%;margin:.3rem 0}</style></head>
<body><h1>Choose your password</h1>
<form id="f"><label>New password (at least 8 characters)<input id="p" type="password" minlength="8" required autocomplete="new-password"></label>
<button>Set password</button></form><p id="m" role="status"></p>
<script src="/set-password.js"></script></body></html>`;
const SCRIPT = `document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = new URLSearchParams(location.search).get('token') || '';
  const res = await fetch('/api/v1/auth/password/set', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: document.getElementById('p').value }) });
  const body = await res.json().catch(() => ({}));
  document.getElementById('m').textContent = res.ok ? 'Your password is set. You can now sign in.' : (body.error && body.error.message) || 'Something went wrong.';
});`;

function setPasswordPage(): Router {
  const router = Router();
  router.get('/set-password', (_req, res) => {
    // The token is in the URL: do not leak it to other sites through the Referer header.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html').send(PAGE);
  });
  router.get('/set-password.js', (_req, res) => {
    res.type('application/javascript').send(SCRIPT);
  });
  return router;
}
