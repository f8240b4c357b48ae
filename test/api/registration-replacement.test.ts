import { randomUUID } from 'node:crypto';

import { createUserActivities } from '../../activities/users/create-user-activities';
import { registrationUserId } from '../../adapters/crypto/onboarding-digests';
import { createPasswordHasher } from '../../adapters/crypto/passwords';
import { pendingRegistrationId } from '../../adapters/models/pending-registration';
import { testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The first activity of a NEW onboarding run, after an earlier run of the same address ended (72 h
 * abandonment cannot be waited out over HTTP; test/api/account-lifecycle.test.ts covers the open run,
 * the confirmed and the rejected account through the API). Its input is what the API stores for a
 * registration.
 */
describe('registering an address whose earlier run ended (createOnboardingUser)', () => {
  let db: TestDatabase;
  const config = testConfig();
  const passwords = createPasswordHasher(config);
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  async function registration(email: string, password: string, firstName: string) {
    const userId = registrationUserId(config, email);
    const fingerprint = randomUUID();
    await db.models.PendingRegistration.create({
      _id: pendingRegistrationId(userId, fingerprint),
      email,
      passwordHash: await passwords.hash(password),
      firstName,
      lastName: 'Obi',
      phone: null,
      country: 'NG',
      org: null,
      createdAt: new Date(),
    });
    return { userId, fingerprint };
  }
  const activities = () => createUserActivities({ config, models: db.models });

  it('an unconfirmed record is replaced wholly and its sessions cut off, once per request', async () => {
    const email = `${randomUUID()}@example.test`;
    const first = await registration(email, 'FirstPass123!', 'Mallory');
    expect(
      await activities().createOnboardingUser({ userId: first.userId, requestFingerprint: first.fingerprint }),
    ).toMatchObject({ ok: true });
    const before = (await db.models.User.findById(first.userId).lean())!;

    // The run ended unconfirmed (abandoned); the owner registers.
    const second = await registration(email, 'SecondPass123!', 'Ada');
    expect(
      await activities().createOnboardingUser({ userId: second.userId, requestFingerprint: second.fingerprint }),
    ).toMatchObject({ ok: true, replaced: true });
    const after = (await db.models.User.findById(first.userId).lean())!;
    expect(after.firstName).toBe('Ada');
    expect(await passwords.verify(after.passwordHash!, 'SecondPass123!')).toBe(true);
    expect(await passwords.verify(after.passwordHash!, 'FirstPass123!')).toBe(false);
    expect(after.tokenVersion).toBe(before.tokenVersion + 1);
    // A retry of the same activity (same request) changes nothing more.
    await activities().createOnboardingUser({ userId: second.userId, requestFingerprint: second.fingerprint });
    expect((await db.models.User.findById(first.userId).lean())!.tokenVersion).toBe(after.tokenVersion);
  });
});
