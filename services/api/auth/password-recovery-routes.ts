import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request } from 'express';
import { z } from 'zod';

import { tokenDigest } from '../../../adapters/crypto/token-digest';
import { changePassword } from '../../../use-cases/passwords/change-password';
import { requestPasswordReset } from '../../../use-cases/passwords/request-password-reset';
import { resetPassword } from '../../../use-cases/passwords/reset-password';
import type { ApiDeps } from '../deps';
import { defineRoute, routesRouter } from '../http/route';
import { getAuth } from './auth-context';
import { type AuthKit, requestIdOf } from './auth-kit';
import { tokenPairSchema } from './auth-routes';
import { newPasswordSchema, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';
import { clientIp, rateLimit } from './rate-limiter';

const email = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase());

/** The one answer to every accepted forgot request, whether the address has an account or not. */
const FORGOT_ANSWER = {
  message:
    'If an account exists for this email address, a reset code is on its way to it. Use it with POST /users/password/reset.',
};
const forgotAnswerSchema = z.object({ message: z.string() }).meta({ id: 'PasswordForgotAccepted' });

/** The address a request names, normalised as the body schema does; digested in limiter keys. */
const emailKey = (req: Request) => {
  const raw = (req.body as { email?: unknown } | undefined)?.email;
  return tokenDigest(typeof raw === 'string' ? raw.trim().toLowerCase() : '');
};

const POLICY = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, as at registration`;

/**
 * Issue 22: password recovery by emailed code, and password change for a signed-in user. Secrets
 * never enter workflow history: the reset code is minted by the notifications worker inside the
 * email send (activities/notifications/send-time-data.ts); the requests carry ids only.
 */
export function passwordRecoveryRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const windowSeconds = config.RATE_LIMIT_PASSWORD_WINDOW_SECONDS;
  // Per client IP and per address, counted by unique slot inserts: exact under bursts and across instances.
  const limits = (name: string, perIp: number, perEmail: number) => [
    rateLimit(kit.limiter, { bucket: `${name}-ip`, limit: perIp, windowSeconds, key: clientIp }),
    rateLimit(kit.limiter, { bucket: `${name}-email`, limit: perEmail, windowSeconds, key: emailKey }),
  ];

  const commandDeps = { ...deps, now, passwords: kit.passwords, lockout: kit.lockout, sessions: kit.sessions };

  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/password/forgot',
      summary: 'Ask for a password-reset code by email (same answer whether the account exists or not)',
      description:
        `Always 202 with the same body. If the address belongs to an account with a password that is not deactivated (retail users, staff, operators), ` +
        `a single-use 6-digit code valid ${config.PASSWORD_RESET_CODE_TTL_MINUTES} minutes is emailed to it; a newer code replaces older ones. The answer is ` +
        'sent before the account is looked up, so its timing does not depend on the account either. Limited per client IP ' +
        `(RATE_LIMIT_FORGOT_PER_IP, ${config.RATE_LIMIT_FORGOT_PER_IP}) and per address, known or not (RATE_LIMIT_FORGOT_PER_EMAIL, ${config.RATE_LIMIT_FORGOT_PER_EMAIL}) ` +
        `per ${windowSeconds} s.`,
      tags: ['Auth'],
      before: limits('password-forgot', config.RATE_LIMIT_FORGOT_PER_IP, config.RATE_LIMIT_FORGOT_PER_EMAIL),
      request: { body: z.object({ email }).meta({ id: 'PasswordForgotRequest' }) },
      responses: {
        202: { description: 'Accepted (whether or not the address has an account)', data: forgotAnswerSchema },
        400: { description: 'VALIDATION_ERROR: not an email address' },
        429: { description: 'RATE_LIMITED: too many requests from this client or for this address (Retry-After)' },
      },
      handler: async ({ body, req, res }) => {
        const requestId = requestIdOf(req);
        // Answered first: nothing about the account can show in the answer or in its timing.
        res.status(202).json({ success: true, data: FORGOT_ANSWER });
        requestPasswordReset(commandDeps, body.email).catch((err) =>
          deps.logger.error({ err, requestId }, 'password-reset email not requested'),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/password/reset',
      summary: 'Set a new password with the emailed code; ends every session of the account',
      description:
        `The code from the email of POST /users/password/forgot works once, for ${config.PASSWORD_RESET_CODE_TTL_MINUTES} minutes, and only the newest one works; ` +
        `after ${config.PASSWORD_RESET_MAX_ATTEMPTS} wrong codes it is burnt. Every failure answers the same 400 INVALID_CODE (unknown address included). ` +
        `The new password follows the registration policy (${POLICY}). On success every access and refresh token of the account stops working, the ` +
        'audit event `user.password_reset` is written and a "password changed" email is sent; then sign in with POST /api/v1/auth/login. Limited per ' +
        `client IP (RATE_LIMIT_RESET_PER_IP, ${config.RATE_LIMIT_RESET_PER_IP}) and per address (RATE_LIMIT_RESET_PER_EMAIL, ${config.RATE_LIMIT_RESET_PER_EMAIL}) per ${windowSeconds} s.`,
      tags: ['Auth'],
      before: limits('password-reset', config.RATE_LIMIT_RESET_PER_IP, config.RATE_LIMIT_RESET_PER_EMAIL),
      request: {
        body: z
          .object({
            email,
            code: z.string().regex(/^\d{6}$/, 'the 6 digits from the email'),
            newPassword: newPasswordSchema(),
          })
          .meta({ id: 'PasswordResetRequest' }),
      },
      responses: {
        200: { description: 'Password set: sign in with it', data: z.object({ passwordReset: z.literal(true) }) },
        400: {
          description: `INVALID_CODE (wrong, expired, used, burnt or replaced, or no such account: indistinguishable), or VALIDATION_ERROR (a code is 6 digits; the password ${POLICY})`,
        },
        429: { description: 'RATE_LIMITED: too many attempts from this client or for this address (Retry-After)' },
      },
      handler: async ({ body, req }) => {
        await resetPassword(commandDeps, body, { requestId: requestIdOf(req) });
        return { data: { passwordReset: true as const } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password/change',
      summary: 'Change your password (signed in); returns a new token pair and ends your other sessions',
      description:
        'Any signed-in user with a password. The current password is checked like a sign-in and counts towards the same per-account lockout ' +
        `(AUTH_LOCKOUT_MAX_FAILURES per AUTH_LOCKOUT_WINDOW_SECONDS → 429 ACCOUNT_LOCKED). The new password follows the registration policy (${POLICY}). ` +
        "On success every earlier access and refresh token of the account stops working, the calling session's included: the answer carries a " +
        'new token pair for the caller (a new session). The audit event `user.password_changed` is written and a "password changed" email is sent.',
      tags: ['Auth'],
      security: ['bearer'],
      before: [kit.requireUser],
      request: {
        body: z
          .object({ currentPassword: z.string().min(1).max(1024), newPassword: newPasswordSchema() })
          .meta({ id: 'PasswordChangeRequest' }),
      },
      responses: {
        200: {
          description:
            'Changed: a new token pair for this caller; every earlier token of the account has stopped working',
          data: tokenPairSchema,
        },
        400: {
          description: `INVALID_CURRENT_PASSWORD, PASSWORD_UNCHANGED (the new password is the current one), or VALIDATION_ERROR (the password ${POLICY})`,
        },
        401: {
          description:
            'Missing or invalid access token, or TOKEN_REVOKED (also when another change of the password won a race with this one)',
        },
        429: { description: 'ACCOUNT_LOCKED: too many wrong passwords for this account (Retry-After)' },
      },
      handler: async ({ body, req, res }) => {
        const { userId, sessionId } = getAuth(res);
        return { data: await changePassword(commandDeps, { userId, sessionId, requestId: requestIdOf(req) }, body) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
