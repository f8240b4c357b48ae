import { z } from 'zod';

/**
 * The one policy for a password a person chooses: 8 to 128 characters, as POST /users/register
 * accepts (services/api/onboarding/onboarding-routes.ts). Used by the staff set-password link, the staff
 * creation form, the password reset and the password change; test/api/password-recovery.test.ts
 * checks in /openapi.json that all of them, registration included, document the same bounds.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const newPasswordSchema = () => z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
