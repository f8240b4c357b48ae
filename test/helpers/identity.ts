import { randomUUID } from 'node:crypto';

import type { Config } from '../../adapters/config';
import { createPasswordHasher, type PasswordHasher } from '../../adapters/crypto/passwords';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import type { StaffRole } from '../../domain/vocabulary/users';
import { request } from './http';

export const TEST_PASSWORD = 'SecurePass123!';

let hasher: PasswordHasher | undefined;
const passwords = (config: Config) => (hasher ??= createPasswordHasher(config));

/** An organization (tenant) straight in the database. */
export async function createTenantRecord(models: Models, fields: { name?: string; slug?: string } = {}) {
  const slug = fields.slug ?? `bank-${randomUUID().slice(0, 8)}`;
  return models.Organization.create({ name: fields.name ?? 'First Bank of Nigeria', slug, primaryColor: '#0F172A' });
}

/** A user with a real argon2id password, so it can sign in through POST /api/v1/auth/login. */
export async function userWithPassword(
  models: Models,
  config: Config,
  fields: Partial<UserDoc> = {},
  password = TEST_PASSWORD,
) {
  const user = await models.User.create({
    email: `${randomUUID()}@bank.test`,
    firstName: 'Jane',
    lastName: 'Smith',
    status: 'active',
    passwordHash: await passwords(config).hash(password),
    ...fields,
  });
  return { user, email: user.email, password };
}

export const staffFields = (tenantId: string, staffRole: StaffRole): Partial<UserDoc> => ({
  tenantId,
  staffRole,
  userType: 'staff',
  role: 'org-staff',
});

export async function login(url: string, email: string, password = TEST_PASSWORD) {
  return request(`${url}/api/v1/auth/login`, { method: 'POST', json: { email, password } });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
