import { noteAnalyticsChange } from '../analytics/analytics-outbox';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';
import type { UserDoc } from '../models/user';

export class EmailTakenError extends Error {
  constructor() {
    super('a user with this email already exists');
    this.name = 'EmailTakenError';
  }
}

/** Inserts a user; the unique email index (not a prior lookup) decides races between creators. */
export async function createUser(
  models: Pick<Models, 'User' | 'AnalyticsOutbox'>,
  fields: Partial<UserDoc> & { email: string },
): Promise<UserDoc> {
  try {
    const doc = await models.User.create({ ...fields, email: fields.email.trim().toLowerCase() });
    await noteAnalyticsChange(models, 'user', doc._id);
    return doc.toObject() as UserDoc;
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new EmailTakenError();
    throw err;
  }
}

/** Organization slugs from names: lowercase ASCII words joined by dashes. */
export const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
