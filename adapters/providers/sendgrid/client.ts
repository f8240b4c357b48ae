import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';

import { SENDGRID_DELIVERY_KEY_ARG, SENDGRID_HEADERS, SENDGRID_PATHS, type SendGridSuppression } from './wire';

export interface SendGridCredentials {
  /** https://api.sendgrid.com, or the sandbox. */
  baseUrl: string;
  apiKey: string;
}

/** SendGrid answered with an error status: it did not take the request. */
export class SendGridApiError extends Error {
  constructor(readonly status: number) {
    // Only the status: SendGrid's messages can quote the address (no PII in histories or logs).
    super(`SendGrid refused the request (HTTP ${status})`);
    this.name = 'SendGridApiError';
  }
}

const rethrow = (err: unknown): never => {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') throw new SendGridApiError(code);
  throw err;
};

/** SendGrid through its own SDK; the base URL decides sandbox or api.sendgrid.com. */
export function createSendGridClient(creds: SendGridCredentials) {
  const client = new Client();
  client.setApiKey(creds.apiKey);
  client.setDefaultRequest('baseUrl', creds.baseUrl);
  const mail = new MailService();
  mail.setClient(client);

  return {
    /** Whether the address is on the global suppression list (the person unsubscribed). */
    async isSuppressed(email: string): Promise<boolean> {
      const [, body] = await client
        .request({ method: 'GET', url: `${SENDGRID_PATHS.globalSuppressions}/${encodeURIComponent(email)}` })
        .catch(rethrow);
      return Boolean(body && (body as SendGridSuppression).recipient_email);
    },

    /** `POST /v3/mail/send` with our delivery key as a custom arg; answers `X-Message-Id`. */
    async send(msg: {
      to: string;
      from: string;
      subject: string;
      text: string;
      html: string;
      deliveryKey: string;
    }): Promise<{ messageId: string }> {
      const [res] = await mail
        .send({
          to: msg.to,
          from: msg.from,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          customArgs: { [SENDGRID_DELIVERY_KEY_ARG]: msg.deliveryKey },
        })
        .catch(rethrow);
      const id = res.headers[SENDGRID_HEADERS.messageId.toLowerCase()];
      return { messageId: String(Array.isArray(id) ? id[0] : (id ?? '')) };
    },
  };
}
