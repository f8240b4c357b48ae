import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler } from 'express';
import { z } from 'zod';

import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import { createPasswordHasher } from '../../../adapters/crypto/passwords';
import { confirmEmail } from '../../../use-cases/onboarding/confirm-email';
import { createBridgeLink, readOnboardingState, startKycSession } from '../../../use-cases/onboarding/identity-checks';
import { register, type RegisterDeps } from '../../../use-cases/onboarding/register';
import { resendConfirmationCode } from '../../../use-cases/onboarding/resend-confirmation-code';
import { type AuthContext, getAuth, isInternalAdmin } from '../auth/auth-context';
import { requestIdOf } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { personName } from '../http/safe-text';
import { dateOfBirthSchema } from '../users/date-of-birth-field';
import { signupLimits } from './onboarding-limits';
import { onboardingStateSchema } from './onboarding-state-schema';

const email = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase());
const registerBody = z
  .object({
    email,
    password: z.string().min(8).max(128),
    firstName: personName,
    lastName: personName,
    phone: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, 'E.164, e.g. +2348012345678')
      .optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2')
      .transform((c) => c.toUpperCase())
      .optional(),
    dateOfBirth: dateOfBirthSchema().optional(),
    org_name: z.string().trim().min(2).max(200).optional(),
    org_id: z.uuid().optional(),
    invitationCode: z
      .string()
      .max(200)
      .optional()
      .meta({ description: 'With org_id: the invitation code the organization gave you (inv_…)' }),
  })
  .refine((b) => !(b.org_name && b.org_id), { message: 'Give org_name or org_id, not both', path: ['org_id'] })
  .meta({ id: 'RegisterRequest' });

const userIdParams = z.object({ userId: z.uuid() });

/** The caller's own onboarding, or one an internal admin / staff of the same tenant may see. */
async function canSee(deps: ApiDeps, auth: AuthContext, userId: string, staffAllowed: boolean) {
  if (auth.userId === userId) return true;
  if (!staffAllowed) return false;
  if (isInternalAdmin(auth)) return true;
  if (!auth.staffRole || !auth.tenantId) return false;
  return (await deps.models.User.exists({ _id: userId, tenantId: auth.tenantId })) !== null;
}

/** Registration, email confirmation, KYC session, Bridge link and the onboarding read. */
export function onboardingRouter(deps: ApiDeps, registry: OpenAPIRegistry, requireUser: RequestHandler) {
  const { config } = deps;
  const limits = signupLimits(deps);
  const registration: RegisterDeps = {
    ...deps,
    // argon2id with the configured OWASP cost, shared with login (adapters/crypto/passwords.ts).
    passwords: createPasswordHasher(config),
    cipher: createFieldCipher(config.PII_ENCRYPTION_KEYS),
    now: () => deps.now?.() ?? new Date(),
  };

  const selfOnly = (staffAllowed: boolean) => async (userId: string, auth: AuthContext) => {
    // Someone else's onboarding answers 404, so ids do not leak.
    if (!(await canSee(deps, auth, userId, staffAllowed))) throw notFound('Onboarding');
  };

  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/register',
      summary: 'Register: creates the user and starts its onboarding (safe to retry)',
      description:
        'The onboarding workflow creates the user in its first step, so a user never exists without its workflow. ' +
        'The workflow id derives from the email (keyed, not readable), so retrying the same request after a timeout ' +
        'returns the same user. A different request for an address whose owner never confirmed it replaces that registration wholly ' +
        '(password, names, phone, date of birth; earlier codes stop working); a confirmed address answers 409 EMAIL_TAKEN and a rejected ' +
        'account 409 ACCOUNT_REJECTED. ' +
        '`org_name` creates a new organization whose administrator (staff role BANK_ADMIN) the registrant becomes, only if its slug is free ' +
        '(else 409 ORG_NAME_TAKEN); `org_id` with `invitationCode` joins that organization as a retail member (a live invitation of that ' +
        'organization; anything else 403 ORG_INVITATION_REQUIRED). See docs/onboarding.md.',
      tags: ['Onboarding'],
      before: limits.register,
      request: { body: registerBody },
      responses: {
        429: {
          description:
            'RATE_LIMITED: too many registrations from this client IP or for this email address (see Retry-After)',
        },
        201: {
          description: 'Registered; a 6-digit code was emailed',
          data: z.object({ userId: z.uuid(), tenantId: z.string().nullable(), status: z.literal('not_verified') }),
        },
        400: {
          description: 'VALIDATION_ERROR (e.g. dateOfBirth not a past date, age outside 16..120), ORG_NAME_INVALID',
        },
        403: {
          description:
            'ORG_INVITATION_REQUIRED: org_id without a live invitation code of that organization (one answer for every reason)',
        },
        409: {
          description:
            'EMAIL_TAKEN (the address belongs to a confirmed account; its owner is emailed, at most once a day), ACCOUNT_REJECTED (the address ' +
            'belongs to a rejected account: registering again never reopens it), or ORG_NAME_TAKEN (an organization with that name exists)',
        },
      },
      handler: async ({ body, req }) => ({
        status: 201,
        data: await register(registration, body, { requestId: requestIdOf(req) }),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/users/confirm',
      summary: 'Confirm the email with the 6-digit code',
      tags: ['Onboarding'],
      before: limits.confirm,
      request: {
        body: z.object({ email, code: z.string().regex(/^[0-9]{6}$/, 'six digits') }).meta({ id: 'ConfirmRequest' }),
      },
      description:
        "An address with no registration waiting for its code (unknown, staff, a partner's user, or a registration whose time ran out) " +
        'answers exactly like a wrong code, `400 INVALID_CODE` with `remainingAttempts: null`. Limited per client IP and per address.',
      responses: {
        200: {
          description: 'Confirmed: sign in with POST /api/v1/auth/login',
          data: z.object({ userId: z.uuid(), confirmedAt: z.iso.datetime() }),
        },
        400: {
          description:
            'INVALID_CODE (details.remainingAttempts; null when no registration waits for a code here) or CODE_EXPIRED (request a new code)',
        },
        409: { description: "ALREADY_CONFIRMED: this address's own registration was confirmed (sign in)" },
        429: {
          description:
            'TOO_MANY_ATTEMPTS: the code is locked, request a new one; RATE_LIMITED: too many confirmations from this client IP or for this address (see Retry-After)',
        },
      },
      handler: async ({ body }) => ({ data: await confirmEmail(deps, body) }),
    }),
    defineRoute({
      method: 'post',
      path: '/users/confirm/resend',
      summary: 'Send a new confirmation code (limited in number and frequency)',
      tags: ['Onboarding'],
      before: limits.resend,
      request: { body: z.object({ email }).meta({ id: 'ResendCodeRequest' }) },
      responses: {
        202: { description: 'A new code is on its way', data: z.object({ sent: z.literal(true) }) },
        409: { description: "ALREADY_CONFIRMED: this address's own registration was confirmed (sign in)" },
        429: {
          description:
            'RESEND_LIMIT (this code, see Retry-After), or RATE_LIMITED: too many resends from this client IP or for this address',
        },
      },
      handler: async ({ body }) => {
        await resendConfirmationCode(deps, body);
        return { status: 202, data: { sent: true as const } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:userId/kyc-session',
      summary: 'Start (or resume) the identity verification session with Veriff',
      tags: ['Onboarding'],
      security: ['bearer'],
      before: [requireUser],
      request: { params: userIdParams },
      responses: {
        201: { description: 'Send the user to `url`', data: z.object({ sessionId: z.string(), url: z.url() }) },
        404: { description: 'Not your onboarding' },
        409: { description: 'WRONG_ONBOARDING_STEP (e.g. email not confirmed yet)' },
      },
      handler: async ({ params, res }) => {
        await selfOnly(false)(params.userId, getAuth(res));
        return { status: 201, data: await startKycSession(deps, params.userId) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:userId/bridge-kyc',
      summary: 'Create the Bridge KYC link and terms-of-service link',
      tags: ['Onboarding'],
      security: ['bearer'],
      before: [requireUser],
      description:
        'An onboarding has one Bridge link: repeating the call returns the same link. The `Idempotency-Key` header is optional; ' +
        'without it the key is derived from the onboarding (its workflow run), so retries from seed 000 clients converge too.',
      request: {
        params: userIdParams,
        headers: z.object({
          'idempotency-key': z
            .string()
            .min(8)
            .max(255)
            .optional()
            .meta({ description: 'Optional; default: one key per onboarding' }),
        }),
        headersError: () =>
          badRequest('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key header must be 8-255 characters'),
      },
      responses: {
        200: {
          description: 'Links to send the user to',
          data: z.object({ kycLinkId: z.string(), kycLink: z.url(), tosLink: z.url(), customerId: z.string() }),
        },
        400: { description: 'IDEMPOTENCY_KEY_INVALID: a header was given but is not 8-255 characters' },
        404: { description: 'Not your onboarding' },
        409: { description: 'WRONG_ONBOARDING_STEP (Veriff not approved yet, or Bridge not required)' },
        502: { description: 'PROVIDER_ERROR' },
      },
      handler: async ({ params, headers, res }) => {
        await selfOnly(false)(params.userId, getAuth(res));
        return { data: await createBridgeLink(deps, params.userId, headers['idempotency-key']) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/users/:userId/onboarding',
      summary: 'Where the onboarding stands (step, provider statuses, timestamps, next reminder)',
      tags: ['Onboarding'],
      security: ['bearer'],
      before: [requireUser],
      request: { params: userIdParams },
      responses: {
        200: { description: 'Live state from the workflow', data: onboardingStateSchema },
        404: { description: 'Unknown or not visible to you' },
      },
      handler: async ({ params, res }) => {
        await selfOnly(true)(params.userId, getAuth(res));
        return { data: await readOnboardingState(deps, params.userId) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
