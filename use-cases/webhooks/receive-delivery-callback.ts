import type { KeyObject } from 'node:crypto';

import { forEachBounded } from '../../adapters/bounded-parallel';
import { recordProviderStatus } from '../../adapters/notifications/delivery-ledger';
import { parseSendGridEvents } from '../../adapters/providers/sendgrid/webhook';
import { parseTwilioStatusCallback } from '../../adapters/providers/twilio/webhook';

type LedgerModels = Parameters<typeof recordProviderStatus>[0];

export interface DeliveryCallbackDeps {
  models: LedgerModels;
}

export type DeliveryCallbackResult =
  | { ok: true; received: number }
  | { ok: false; reason: 'INVALID_SIGNATURE' | 'MISSING_STATUS' | 'INVALID_JSON' | 'NOT_AN_ARRAY' };

/**
 * A Twilio SMS status callback: verified by the Twilio home, recorded against the delivery named
 * in the callback URL we gave Twilio (no lookup needed).
 */
export async function receiveTwilioStatus(
  deps: DeliveryCallbackDeps & { authToken: string },
  req: { deliveryKey: string; url: string; rawBody: Buffer; signature: string | undefined },
): Promise<DeliveryCallbackResult> {
  const parsed = parseTwilioStatusCallback({
    rawBody: req.rawBody,
    url: req.url,
    signature: req.signature,
    authToken: deps.authToken,
  });
  if (!parsed.ok) return parsed;
  const e = parsed.event;
  await recordProviderStatus(deps.models, req.deliveryKey, {
    status: e.status,
    providerStatus: e.providerStatus,
    providerMessageId: e.messageSid,
    error:
      e.status === 'failed'
        ? { code: `TWILIO_${e.errorCode ?? 'UNDELIVERED'}`, message: `Twilio reported ${e.providerStatus}` }
        : undefined,
  });
  return { ok: true, received: 1 };
}

/**
 * A SendGrid signed event batch: verified by the SendGrid home; each event carries our delivery
 * key (a custom arg). SendGrid posts up to thousands of events per batch and retries the whole
 * batch when the answer is slow, so events are recorded side by side (each is idempotent, order-free).
 */
export async function receiveSendGridEvents(
  deps: DeliveryCallbackDeps & { publicKey: KeyObject; now: () => Date },
  req: { rawBody: Buffer; signature: string | undefined; timestamp: string | undefined },
): Promise<DeliveryCallbackResult> {
  const parsed = parseSendGridEvents({ ...req, publicKey: deps.publicKey, nowMs: deps.now().getTime() });
  if (!parsed.ok) return parsed;
  await forEachBounded(parsed.changes, 16, (e) =>
    recordProviderStatus(deps.models, e.deliveryKey, {
      status: e.status,
      providerStatus: e.event,
      providerMessageId: e.messageId,
      error:
        e.status === 'failed'
          ? { code: `SENDGRID_${e.event.toUpperCase()}`, message: 'SendGrid could not deliver the email' }
          : undefined,
    }),
  );
  return { ok: true, received: parsed.changes.length };
}
