import type { BridgeEventSignal } from '../../../domain/contracts/onboarding.contract';
import { verifyBridgeWebhook } from './signature';

/** A verified Bridge webhook: the object it is about (to find its user) and the one signal shape. */
export interface BridgeWebhookEvent {
  eventId: string;
  eventType: string;
  /** kyc_link events name the link, customer events the customer. */
  object: { kind: 'kyc_link' | 'customer'; id: string };
  signal: BridgeEventSignal;
}

export type BridgeWebhookRefusal = 'INVALID_SIGNATURE' | 'STALE_WEBHOOK' | 'INVALID_JSON' | 'UNSUPPORTED_EVENT';
export type BridgeWebhookResult = { ok: true; event: BridgeWebhookEvent } | { ok: false; reason: BridgeWebhookRefusal };

/**
 * Raw body + `X-Webhook-Signature` → a verified event, or why not: the signature first (over the
 * exact bytes), then its age (a replayed old event is refused), then the envelope.
 */
export function parseBridgeWebhook(opts: {
  body: Buffer;
  signatureHeader: string | undefined;
  publicKeyPem: string;
  nowMs: number;
  maxAgeMs: number;
}): BridgeWebhookResult {
  const check = verifyBridgeWebhook({
    publicKeyPem: opts.publicKeyPem,
    header: opts.signatureHeader,
    body: opts.body,
    nowMs: opts.nowMs,
    maxAgeMs: opts.maxAgeMs,
  });
  if (!check.ok) return check;
  return readBridgeWebhookBody(opts.body, check.timestampMs);
}

/**
 * The envelope of a body whose signature was already checked (`signedAtMs`: the signature's time,
 * used when the event names none): at intake (above), or when an operator re-drives an event stored
 * in the inbox (use-cases/cases/redrive-webhook.ts).
 */
export function readBridgeWebhookBody(body: Buffer, signedAtMs: number): BridgeWebhookResult {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(body.toString('utf8'));
    if (!event || typeof event !== 'object') return { ok: false, reason: 'INVALID_JSON' };
  } catch {
    return { ok: false, reason: 'INVALID_JSON' };
  }
  const obj = (event.event_object ?? {}) as Record<string, unknown>;
  const category = String(event.event_category ?? '');
  const objectId = String(event.event_object_id ?? obj.id ?? '');
  if (typeof event.event_id !== 'string' || !objectId) return { ok: false, reason: 'UNSUPPORTED_EVENT' };
  const signal: BridgeEventSignal = {
    eventId: event.event_id,
    createdAtMs: Date.parse(String(event.event_created_at ?? '')) || signedAtMs,
    kycStatus:
      typeof obj.kyc_status === 'string'
        ? obj.kyc_status
        : category === 'customer' && typeof obj.status === 'string'
          ? customerKycStatus(obj.status)
          : null,
    tosStatus:
      typeof obj.tos_status === 'string'
        ? obj.tos_status
        : obj.has_accepted_terms_of_service === true
          ? 'approved'
          : null,
    rejectionReasons: Array.isArray(obj.rejection_reasons)
      ? obj.rejection_reasons.map((r) => String((r as { reason?: string })?.reason ?? r))
      : [],
  };
  return {
    ok: true,
    event: {
      eventId: `bridge:${event.event_id}`,
      eventType: String(event.event_type ?? category),
      object: { kind: category === 'customer' ? 'customer' : 'kyc_link', id: objectId },
      signal,
    },
  };
}

/** A Bridge customer's `status` in kyc_link vocabulary (`active` means KYC approved). */
function customerKycStatus(status: string): string {
  return status === 'active' ? 'approved' : status;
}
