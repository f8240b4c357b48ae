import type { Config } from '../config';
import { registrationUserId } from '../crypto/onboarding-digests';
import type { Models } from '../models';
import type { UserDoc } from '../models/user';

/**
 * The user with this email. Self-registered users have an `_id` derived from their email
 * (registrationUserId), so that `_id` is read first: FerretDB answers an exact `{_id}` filter in
 * about a millisecond but decodes every user for any other filter. The email must match (it may
 * have changed since, or the key rotated); otherwise, and for users created another way (staff,
 * ops CLI, partners), the email lookup decides. The email is unique, so both paths agree.
 */
export async function findUserByEmail(
  models: Pick<Models, 'User'>,
  config: Pick<Config, 'PII_ENCRYPTION_KEYS'>,
  email: string,
  /** Inclusion only (`{ _id: 1 }`); the email is always read to check the fast path. */
  projection?: Record<string, 1>,
): Promise<UserDoc | null> {
  const normalised = email.trim().toLowerCase();
  const byId = (await models.User.findById(
    registrationUserId(config, normalised),
    projection && { ...projection, email: 1 },
  ).lean()) as UserDoc | null;
  if (byId?.email === normalised) return byId;
  return (await models.User.findOne({ email: normalised }, projection).lean()) as UserDoc | null;
}
