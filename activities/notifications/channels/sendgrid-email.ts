import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { Config } from '../../../adapters/config';
import { PermanentChannelError, RejectedByProvider, isTransientStatus, type EmailChannel } from '../../../adapters/notifications/channel';

interface SendGridError {
  code?: number;
}

/** SendGrid through its own SDK; the base URL decides sandbox or api.sendgrid.com. */
export function createSendGridEmailChannel(
  config: Pick<Config, 'SENDGRID_BASE_URL' | 'SANDBOX_URL' | 'SENDGRID_API_KEY' | 'SENDGRID_FROM_EMAIL'>,
): EmailChannel {
  const client = new Client();
  client.setApiKey(config.SENDGRID_API_KEY);
  client.setDefaultRequest('baseUrl', config.SENDGRID_BASE_URL ?? config.SANDBOX_URL);
  const mail = new MailService();
  mail.setClient(client);

  const rethrow = (err: unknown): never => {
    const e = err as SendGridError;
    if (typeof e.code === 'number') {
      // Only the status: SendGrid's messages can quote the address (no PII in histories or logs).
      const message = `SendGrid refused the request (HTTP ${e.code})`;
      if (isTransientStatus(e.code) || e.code === 401 || e.code === 403) throw new RejectedByProvider(e.code, message);
      throw new PermanentChannelError(`SENDGRID_${e.code}`, message);
    }
    throw err;
  };

  return {
    async send(msg) {
      // SendGrid accepts mail to suppressed addresses and drops it later; asking first turns an
      // unsubscribed recipient into an immediate permanent failure the workflow can fall back from.
      const [, suppression] = await client
        .request({ method: 'GET', url: `/v3/asm/suppressions/global/${encodeURIComponent(msg.to)}` })
        .catch(rethrow);
      if (suppression && (suppression as { recipient_email?: string }).recipient_email) {
        throw new PermanentChannelError('UNSUBSCRIBED', 'The recipient unsubscribed from email');
      }
      const [res] = await mail
        .send({
          to: msg.to,
          from: config.SENDGRID_FROM_EMAIL,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          customArgs: { deliveryKey: msg.deliveryKey },
        })
        .catch(rethrow);
      const id = res.headers['x-message-id'];
      return { providerMessageId: String(Array.isArray(id) ? id[0] : (id ?? '')) };
    },
  };
}
