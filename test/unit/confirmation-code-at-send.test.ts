import { createSendTimeData } from '../../activities/notifications/send-time-data';
import { createUserActivities } from '../../activities/users/create-user-activities';
import { confirmationCodeDigest, confirmationCodeFor } from '../../adapters/crypto/onboarding-digests';
import type { Models } from '../../adapters/models';
import type { ChannelSendInput } from '../../domain/contracts/notify.contract';
import { testConfig } from '../helpers/config';

// Issue 22: the onboarding workflow gets only the digest of a confirmation email's code; the
// notifications worker computes the code when it sends that email. Both must agree.
describe('the confirmation code, computed at send', () => {
  const config = testConfig();
  // Neither side reads the database for it.
  const models = {} as Models;
  const userId = 'c0ffee00-0000-4000-8000-0000000000aa';
  const email = (notificationId: string, data: Record<string, string> = { expiresInHours: '24' }): ChannelSendInput =>
    ({ notificationId, userId, event: 'verification_code', data }) as ChannelSendInput;

  it('the email carries the code whose digest the workflow holds; each email has its own code', async () => {
    const users = createUserActivities({ config, models });
    const sendTime = createSendTimeData({ config, models });
    expect(sendTime.mints('verification_code')).toBe(true);
    expect(sendTime.mints('confirm_reminder')).toBe(true);
    const ids = ['onboarding-u.run-1.code-email.1', 'onboarding-u.run-1.code-email.2'];
    const codes: string[] = [];
    for (const id of ids) {
      const { digest } = await users.issueConfirmationDigest({ userId, notificationId: id });
      expect(digest).not.toContain(confirmationCodeFor(config, userId, id));
      const { code } = await sendTime.mint(email(id));
      expect(code).toMatch(/^\d{6}$/);
      // What the API computes from the typed code at POST /users/confirm.
      expect(confirmationCodeDigest(config, userId, code)).toBe(digest);
      // A retried send carries the same code.
      expect((await sendTime.mint(email(id))).code).toBe(code);
      codes.push(code);
    }
    expect(codes[0]).not.toBe(codes[1]);
    // Another user's email of the same id has another code; another key, another code.
    expect(confirmationCodeFor(config, 'someone-else', ids[0])).not.toBe(codes[0]);
    const other = testConfig({ PII_ENCRYPTION_KEYS: `k2:${Buffer.alloc(32, 3).toString('base64')}` });
    expect(confirmationCodeFor(other, userId, ids[0])).not.toBe(codes[0]);
  });

  it('a request recorded before carries its own code, and the sender keeps it', async () => {
    const sendTime = createSendTimeData({ config, models });
    expect(await sendTime.mint(email('old', { code: '123456', expiresInHours: '24' }))).toEqual({});
  });
});
