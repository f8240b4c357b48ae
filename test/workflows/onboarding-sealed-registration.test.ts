import { randomUUID } from 'node:crypto';

import { createUserActivities } from '../../activities/users/create-user-activities';
import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import { registrationUserId } from '../../adapters/crypto/onboarding-digests';
import { createPasswordHasher } from '../../adapters/crypto/passwords';
import { openRegistration, sealRegistration } from '../../adapters/identity/sealed-registration';
import { testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The onboarding run's first activity with the registration sealed in its input (issue 23): what the
 * API sends through update-with-start, opened only here. Retried as a local activity may be, it
 * creates the user once; a sealed registration moved to another user or request does not open.
 */
describe('createOnboardingUser with a sealed registration', () => {
  let db: TestDatabase;
  const config = testConfig();
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  const passwords = createPasswordHasher(config);
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());
  const activities = () => createUserActivities({ config, models: db.models });

  async function sealed(email: string) {
    const userId = registrationUserId(config, email);
    const requestFingerprint = randomUUID();
    const details = {
      email,
      passwordHash: await passwords.hash('Sealed-Pass-123'),
      firstName: 'Nkechi',
      lastName: 'Adeyemi-Sealed',
      phone: '+2348011122233',
      country: 'NG',
      org: null,
    };
    return {
      userId,
      requestFingerprint,
      details,
      sealedRegistration: sealRegistration(cipher, userId, requestFingerprint, details),
    };
  }

  it('creates the user from the sealed details, once under retries, with no row on the way', async () => {
    const r = await sealed(`${randomUUID()}@example.test`);
    for (const clear of [r.details.passwordHash, r.details.email, r.details.lastName, r.details.phone])
      expect(r.sealedRegistration).not.toContain(clear);
    const ref = {
      userId: r.userId,
      requestFingerprint: r.requestFingerprint,
      sealedRegistration: r.sealedRegistration,
    };
    expect(await activities().createOnboardingUser(ref)).toEqual({
      ok: true,
      tenantId: null,
      bridgeRequired: expect.any(Boolean),
    });
    const created = (await db.models.User.findById(r.userId).lean())!;
    expect(created).toMatchObject({
      email: r.details.email,
      firstName: 'Nkechi',
      lastName: 'Adeyemi-Sealed',
      phone: '+2348011122233',
      country: 'NG',
      registrationFingerprint: r.requestFingerprint,
      status: 'not_verified',
    });
    expect(await passwords.verify(created.passwordHash!, 'Sealed-Pass-123')).toBe(true);

    // The local activity retried (its result lost): the same request, nothing replaced or revoked.
    const again = await activities().createOnboardingUser(ref);
    expect(again).toMatchObject({ ok: true });
    expect(again).not.toHaveProperty('replaced');
    expect((await db.models.User.findById(r.userId).lean())!.tokenVersion).toBe(created.tokenVersion);
    expect(await db.models.PendingRegistration.countDocuments({ email: r.details.email })).toBe(0);
  });

  it('does not open for another request or another user, and creates nothing then', async () => {
    const r = await sealed(`${randomUUID()}@example.test`);
    expect(() => openRegistration(cipher, r.userId, randomUUID(), r.sealedRegistration)).toThrow();
    const other = registrationUserId(config, `${randomUUID()}@example.test`);
    await expect(
      activities().createOnboardingUser({
        userId: other,
        requestFingerprint: r.requestFingerprint,
        sealedRegistration: r.sealedRegistration,
      }),
    ).rejects.toThrow();
    expect(await db.models.User.countDocuments({ _id: { $in: [r.userId, other] } })).toBe(0);
    expect(openRegistration(cipher, r.userId, r.requestFingerprint, r.sealedRegistration)).toEqual(r.details);
  });
});
