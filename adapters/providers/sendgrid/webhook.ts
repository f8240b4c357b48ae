import type { KeyObject } from 'node:crypto';

import { verifySendGridSignature } from './signature';
import { SENDGRID_DELIVERY_EVENT, SENDGRID_DELIVERY_KEY_ARG, SENDGRID_MAX_EVENT_AGE_SECONDS } from './wire';

/** One event that changes a delivery. */
export interface SendGridDeliveryChange {
  status: 'sent' | 'delivered' | 'failed';
  event: string;
  deliveryKey: string;
  /** SendGrid's message id without the per-recipient suffix (the X-Message-Id of the send). */
  messageId: string | undefined;
}

export type SendGridEventsResult =
  | { ok: true; changes: SendGridDeliveryChange[] }
  | { ok: false; reason: 'INVALID_SIGNATURE' | 'INVALID_JSON' | 'NOT_AN_ARRAY' };

/**
 * A signed event batch (raw body + headers) → the delivery changes it carries, or why not. The
 * signature and the timestamp's age first (a replayed old batch is refused as a bad signature, so
 * a forger learns nothing), then the JSON array. Opens, clicks, deferrals and events for mail we
 * did not send (no delivery key) change no delivery and are left out.
 */
export function parseSendGridEvents(opts: {
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  publicKey: KeyObject;
  nowMs: number;
}): SendGridEventsResult {
  const { signature, timestamp } = opts;
  if (
    !signature ||
    !timestamp ||
    !/^\d+$/.test(timestamp) ||
    !verifySendGridSignature(opts.publicKey, signature, timestamp, opts.rawBody)
  ) {
    return { ok: false, reason: 'INVALID_SIGNATURE' };
  }
  if (Math.abs(opts.nowMs / 1000 - Number(timestamp)) > SENDGRID_MAX_EVENT_AGE_SECONDS)
    return { ok: false, reason: 'INVALID_SIGNATURE' };
  let events: unknown;
  try {
    events = JSON.parse(opts.rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'INVALID_JSON' };
  }
  if (!Array.isArray(events)) return { ok: false, reason: 'NOT_AN_ARRAY' };
  const changes = events.flatMap((raw: unknown): SendGridDeliveryChange[] => {
    const e = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const event = typeof e.event === 'string' && Object.hasOwn(SENDGRID_DELIVERY_EVENT, e.event) ? e.event : undefined;
    const key = e[SENDGRID_DELIVERY_KEY_ARG];
    const deliveryKey = typeof key === 'string' && key.length <= 200 ? key : undefined;
    if (!event || !deliveryKey) return [];
    const messageId = typeof e.sg_message_id === 'string' ? e.sg_message_id.split('.')[0] : undefined;
    return [{ status: SENDGRID_DELIVERY_EVENT[event], event, deliveryKey, messageId }];
  });
  return { ok: true, changes };
}
