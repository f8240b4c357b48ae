import type { Config } from '../../../adapters/config';
import {
  type EmailChannel,
  isTransientStatus,
  PermanentChannelError,
  RejectedByProvider,
} from '../../../adapters/notifications/channel';
import { createSendGridClient, SendGridApiError } from '../../../adapters/providers/sendgrid/client';

/** The email channel on SendGrid (adapters/providers/sendgrid); the base URL decides sandbox or api.sendgrid.com. */
export function createSendGridEmailChannel(
  config: Pick<Config, 'SENDGRID_BASE_URL' | 'SANDBOX_URL' | 'SENDGRID_API_KEY' | 'SENDGRID_FROM_EMAIL'>,
): EmailChannel {
  const client = createSendGridClient({
    baseUrl: config.SENDGRID_BASE_URL ?? config.SANDBOX_URL,
    apiKey: config.SENDGRID_API_KEY,
  });

  const channelError = (err: unknown): never => {
    if (!(err instanceof SendGridApiError)) throw err;
    if (isTransientStatus(err.status) || err.status === 401 || err.status === 403)
      throw new RejectedByProvider(err.status, err.message);
    throw new PermanentChannelError(`SENDGRID_${err.status}`, err.message);
  };

  return {
    async send(msg) {
      // SendGrid accepts mail to suppressed addresses and drops it later; asking first turns an
      // unsubscribed recipient into an immediate permanent failure the workflow can fall back from.
      if (await client.isSuppressed(msg.to).catch(channelError)) {
        throw new PermanentChannelError('UNSUBSCRIBED', 'The recipient unsubscribed from email');
      }
      const sent = await client
        .send({
          to: msg.to,
          from: config.SENDGRID_FROM_EMAIL,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          deliveryKey: msg.deliveryKey,
        })
        .catch(channelError);
      return { providerMessageId: sent.messageId };
    },
  };
}
