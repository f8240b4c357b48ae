import type { Config } from '../../../adapters/config';
import {
  isTransientStatus,
  PermanentChannelError,
  RejectedByProvider,
  type SmsChannel,
} from '../../../adapters/notifications/channel';
import { createTwilioClient, TwilioApiError } from '../../../adapters/providers/twilio/client';
import { TWILIO_PERMANENT_ERROR_CODES } from '../../../adapters/providers/twilio/wire';

/** The SMS channel on Twilio (adapters/providers/twilio); the base URL decides sandbox or api.twilio.com. */
export function createTwilioSmsChannel(
  config: Pick<
    Config,
    'TWILIO_BASE_URL' | 'SANDBOX_URL' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_FROM_NUMBER'
  >,
): SmsChannel {
  const client = createTwilioClient({
    baseUrl: config.TWILIO_BASE_URL ?? config.SANDBOX_URL,
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
  });

  return {
    async send(msg) {
      try {
        const m = await client.sendSms({
          to: msg.to,
          from: config.TWILIO_FROM_NUMBER,
          body: msg.body,
          statusCallback: msg.statusCallback,
        });
        return { providerMessageId: m.sid };
      } catch (err) {
        if (!(err instanceof TwilioApiError)) throw err; // network error or timeout: ambiguous
        if (err.code && TWILIO_PERMANENT_ERROR_CODES.has(err.code))
          throw new PermanentChannelError(`TWILIO_${err.code}`, err.message);
        if (isTransientStatus(err.status) || err.status === 401) throw new RejectedByProvider(err.status, err.message);
        throw new PermanentChannelError(`TWILIO_${err.code ?? err.status}`, err.message);
      }
    },
  };
}
