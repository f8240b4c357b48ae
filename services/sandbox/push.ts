import { randomUUID } from 'node:crypto';

import express, { Router } from 'express';

import { type FcmErrorBody, type FcmMessage, fcmSendPath } from '../../adapters/providers/firebase/wire';
import type { Outbox } from './outbox';

/** Documented magic device tokens: `unregistered…` answers UNREGISTERED (a stale token). */
export const SANDBOX_UNREGISTERED_TOKEN = /^unregistered/;

/**
 * Push provider for the sandbox push channel, in the FCM v1 `messages:send` wire shape. Unlike
 * FCM it honours an Idempotency-Key header: a repeated key returns the first message's name.
 */
export function pushRouter(deps: { outbox: Outbox }): Router {
  const router = Router();
  const seen = new Map<string, string>();
  // The outbox outlives a restart (SANDBOX_OUTBOX_FILE): so do the keys it recorded, or a worker retrying
  // across a sandbox restart would see its message "sent" twice when it was sent once.
  for (const m of deps.outbox.list({ channel: 'push' }).reverse()) {
    if (typeof m.meta?.idempotencyKey === 'string' && typeof m.meta.name === 'string')
      seen.set(m.meta.idempotencyKey, m.meta.name);
  }
  const fcmError = (code: number, status: string, message: string, errorCode: string): FcmErrorBody => ({
    error: {
      code,
      message,
      status,
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }],
    },
  });

  // `:send` is literal in FCM's path; escaped so Express does not read it as a route parameter.
  router.post(fcmSendPath(':project').replace(':send', '\\:send'), express.json({ limit: '256kb' }), (req, res) => {
    if (!req.headers.authorization?.startsWith('Bearer '))
      return void res.status(401).json({
        error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
      });
    const message = (
      req.body as { message?: Partial<FcmMessage> & { notification?: Partial<FcmMessage['notification']> } }
    ).message;
    if (!message?.token)
      return void res
        .status(400)
        .json(
          fcmError(
            400,
            'INVALID_ARGUMENT',
            'The registration token is not a valid FCM registration token',
            'INVALID_ARGUMENT',
          ),
        );
    if (SANDBOX_UNREGISTERED_TOKEN.test(message.token))
      return void res.status(404).json(fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED'));
    const key = req.headers['idempotency-key'];
    const previous = typeof key === 'string' ? seen.get(key) : undefined;
    if (previous) return void res.json({ name: previous });
    const name = `projects/${req.params.project}/messages/${randomUUID()}`;
    if (typeof key === 'string') {
      seen.set(key, name);
      if (seen.size > 100_000) seen.delete(seen.keys().next().value!); // bounded, oldest first
    }
    deps.outbox.add({
      id: randomUUID(),
      channel: 'push',
      to: message.token,
      subject: message.notification?.title,
      body: message.notification?.body ?? '',
      meta: { provider: 'push', name, data: message.data, idempotencyKey: typeof key === 'string' ? key : undefined },
      createdAt: new Date().toISOString(),
    });
    res.json({ name });
  });
  return router;
}
