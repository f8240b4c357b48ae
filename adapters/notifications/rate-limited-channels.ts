import type { Config } from '../config';
import type { EmailChannel, PushChannel, SmsChannel } from './channel';
import { TokenBucket } from './token-bucket';

export interface Channels {
  email: EmailChannel;
  sms: SmsChannel;
  push: PushChannel;
}

type LimitConfig = Pick<
  Config,
  | 'SENDGRID_MAX_REQUESTS_PER_SECOND'
  | 'SENDGRID_API_KEY'
  | 'TWILIO_MAX_REQUESTS_PER_SECOND'
  | 'TWILIO_ACCOUNT_SID'
  | 'PUSH_MAX_REQUESTS_PER_SECOND'
  | 'FCM_PROJECT_ID'
>;

/**
 * Puts each channel behind its provider account's token bucket (SendGrid API key, Twilio account
 * SID, FCM project). One worker builds its channels once, so each worker meters each account it
 * sends through; the same account configured twice in one process shares one bucket (`accounts`).
 * An email waits for two tokens: the suppression check and the send are two SendGrid requests.
 */
export function rateLimitedChannels(
  channels: Channels,
  config: LimitConfig,
  accounts: Map<string, TokenBucket> = new Map(),
): Channels {
  const bucket = (account: string, rate: number) => {
    let b = accounts.get(account);
    if (!b) accounts.set(account, (b = new TokenBucket(rate)));
    return b;
  };
  // Keyed by a prefix of the secret, never the secret itself: the key names the account in a heap dump.
  const sendgrid = bucket(`sendgrid:${config.SENDGRID_API_KEY.slice(0, 8)}`, config.SENDGRID_MAX_REQUESTS_PER_SECOND);
  const twilio = bucket(`twilio:${config.TWILIO_ACCOUNT_SID}`, config.TWILIO_MAX_REQUESTS_PER_SECOND);
  const fcm = bucket(`fcm:${config.FCM_PROJECT_ID}`, config.PUSH_MAX_REQUESTS_PER_SECOND);
  return {
    email: {
      async send(msg) {
        await sendgrid.take();
        await sendgrid.take();
        return channels.email.send(msg);
      },
    },
    sms: {
      async send(msg) {
        await twilio.take();
        return channels.sms.send(msg);
      },
    },
    push: {
      idempotent: channels.push.idempotent,
      async send(msg) {
        await fcm.take();
        return channels.push.send(msg);
      },
    },
  };
}
