import { randomBytes, randomUUID } from 'node:crypto';

import express, { Router } from 'express';

import type { Config } from '../../adapters/config';
import type { Logger } from '../../adapters/logger';
import { signSendGridEvents } from '../../adapters/providers/sendgrid/signature';
import {
  SENDGRID_HEADERS,
  SENDGRID_PATHS,
  type SendGridErrorBody,
  type SendGridEvent,
} from '../../adapters/providers/sendgrid/wire';
import type { Outbox } from './outbox';
import { deliverWebhook } from './webhook-sender';

/** Documented magic recipient: on the global suppression list, as if the person unsubscribed. */
export const SANDBOX_UNSUBSCRIBED_EMAIL = /^unsubscribed(\+.*)?@/i;

/**
 * SendGrid v3 simulator: `POST /v3/mail/send` (202 + X-Message-Id) and the global suppression
 * lookup; events (processed, delivered) go back to the API in signed batches, like the real one.
 */
export function sendgridRouter(deps: {
  config: Pick<Config, 'API_PUBLIC_URL' | 'SANDBOX_SENDGRID_EVENT_SIGNING_KEY' | 'SENDGRID_API_KEY'>;
  logger: Logger;
  outbox: Outbox;
}): Router {
  const router = Router();
  const pending: SendGridEvent[] = [];
  let flushTimer: NodeJS.Timeout | undefined;

  const flush = () => {
    flushTimer = undefined;
    const key = deps.config.SANDBOX_SENDGRID_EVENT_SIGNING_KEY;
    const events = pending.splice(0, pending.length);
    if (!key || !events.length) return;
    const body = JSON.stringify(events);
    const timestamp = String(Math.floor(Date.now() / 1000));
    void deliverWebhook(
      {
        url: `${deps.config.API_PUBLIC_URL}/webhooks/sendgrid/events`,
        headers: {
          [SENDGRID_HEADERS.eventSignature]: signSendGridEvents(key, timestamp, body),
          [SENDGRID_HEADERS.eventTimestamp]: timestamp,
        },
        body,
      },
      { logger: deps.logger, baseDelayMs: 500 },
    );
  };
  const queueEvents = (events: SendGridEvent[]) => {
    pending.push(...events);
    flushTimer ??= setTimeout(flush, 100); // batched, as SendGrid posts arrays of events
  };

  const authorized = (header: string | undefined) => header === `Bearer ${deps.config.SENDGRID_API_KEY}`;
  const unauthorized: SendGridErrorBody = {
    errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }],
  };

  router.get(`${SENDGRID_PATHS.globalSuppressions}/:email`, (req, res) => {
    if (!authorized(req.headers.authorization)) return void res.status(401).json(unauthorized);
    res.json(SANDBOX_UNSUBSCRIBED_EMAIL.test(req.params.email) ? { recipient_email: req.params.email } : {});
  });

  router.post(SENDGRID_PATHS.mailSend, express.json({ limit: '1mb' }), (req, res) => {
    if (!authorized(req.headers.authorization)) return void res.status(401).json(unauthorized);
    const b = req.body as {
      personalizations?: { to?: { email: string }[]; subject?: string; custom_args?: Record<string, string> }[];
      from?: { email?: string };
      subject?: string;
      content?: { type: string; value: string }[];
      custom_args?: Record<string, string>;
    };
    const errors: SendGridErrorBody['errors'] = [];
    if (!b.personalizations?.length || !b.personalizations.every((p) => p.to?.length))
      errors.push({
        message: 'The personalizations field is required and must have at least one personalization with a to.',
        field: 'personalizations',
        help: null,
      });
    if (!b.from?.email)
      errors.push({ message: 'The from object must be provided for every email send.', field: 'from', help: null });
    if (!b.content?.length)
      errors.push({
        message: 'Unless a valid template_id is provided, the content parameter is required.',
        field: 'content',
        help: null,
      });
    if (errors.length) return void res.status(400).json({ errors });

    const messageId = randomBytes(16).toString('base64url');
    const text = b.content!.find((c) => c.type === 'text/plain')?.value ?? b.content![0].value;
    const html = b.content!.find((c) => c.type === 'text/html')?.value;
    const events: SendGridEvent[] = [];
    for (const p of b.personalizations!) {
      const customArgs = { ...b.custom_args, ...p.custom_args };
      for (const to of p.to!) {
        deps.outbox.add({
          id: randomUUID(),
          channel: 'email',
          to: to.email,
          subject: p.subject ?? b.subject,
          body: text,
          meta: { provider: 'sendgrid', messageId, html, customArgs },
          createdAt: new Date().toISOString(),
        });
        for (const event of ['processed', 'delivered']) {
          events.push({
            email: to.email,
            timestamp: Math.floor(Date.now() / 1000),
            event,
            sg_event_id: randomBytes(12).toString('base64url'),
            sg_message_id: `${messageId}.sandbox`,
            ...customArgs,
          });
        }
      }
    }
    res.setHeader(SENDGRID_HEADERS.messageId, messageId);
    res.status(202).end();
    queueEvents(events);
  });
  return router;
}
