import { VERIFF_STATUSES, type VeriffEventSignal } from '../../../domain/contracts/onboarding.contract';
import { isValidVeriffSignature } from './signature';
import { VERIFF_DECISION_CODES, VERIFF_EVENT_CODES } from './wire';

/** A verified Veriff webhook: whose it claims to be (vendorData) and the one signal shape it becomes. */
export interface VeriffWebhookEvent {
  /** Unique per provider event: the inbox key (duplicates stop there). */
  eventId: string;
  eventType: string;
  /** `vendorData` as sent: our user id, unless someone else created the session. */
  vendorData: string;
  signal: VeriffEventSignal;
}

export type VeriffWebhookRefusal = 'INVALID_SIGNATURE' | 'INVALID_JSON' | 'UNSUPPORTED_EVENT';
export type VeriffWebhookResult = { ok: true; event: VeriffWebhookEvent } | { ok: false; reason: VeriffWebhookRefusal };

// The statuses the workflows understand are the contract's list (one source); every status the wire
// knows a code for must be one of them, which this line checks at compile time.
const _wireStatusesAreKnown: readonly VeriffEventSignal['status'][] = [
  ...(Object.keys(VERIFF_EVENT_CODES) as (keyof typeof VERIFF_EVENT_CODES)[]),
  ...(Object.keys(VERIFF_DECISION_CODES) as (keyof typeof VERIFF_DECISION_CODES)[]),
];
const STATUSES = new Set<string>(VERIFF_STATUSES);

/**
 * Raw body + headers → a verified event, or why not. The signature is checked on the exact bytes
 * received, before the body is parsed. Veriff's scheme has no timestamp: replays are stopped by the
 * inbox (the event identity below), not here.
 */
export function parseVeriffWebhook(opts: {
  body: Buffer;
  headers: { signature: string | undefined; client: string | undefined };
  apiKey: string;
  sharedSecret: string;
}): VeriffWebhookResult {
  const { client, signature } = opts.headers;
  if ((client && client !== opts.apiKey) || !isValidVeriffSignature(opts.sharedSecret, opts.body, signature)) {
    return { ok: false, reason: 'INVALID_SIGNATURE' };
  }
  return readVeriffWebhookBody(opts.body);
}

/**
 * The envelope of a body whose signature was already checked: at intake (above), or when an
 * operator re-drives an event stored in the inbox (use-cases/cases/redrive-webhook.ts).
 */
export function readVeriffWebhookBody(raw: Buffer): VeriffWebhookResult {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8'));
    if (!body || typeof body !== 'object') return { ok: false, reason: 'INVALID_JSON' };
  } catch {
    return { ok: false, reason: 'INVALID_JSON' };
  }
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  // Decision webhook (`verification`) or event webhook (`action`): one signal shape.
  if (body.verification && typeof body.verification === 'object') {
    const v = body.verification as Record<string, unknown>;
    const status = s(v.status) as VeriffEventSignal['status'];
    if (!s(v.id) || !STATUSES.has(status)) return { ok: false, reason: 'UNSUPPORTED_EVENT' };
    const eventKey = `decision:${v.id}:${s(v.attemptId) ?? '-'}:${status}:${s(v.decisionTime) ?? '-'}`;
    const signal: VeriffEventSignal = {
      eventKey,
      sessionId: s(v.id)!,
      kind: 'decision',
      status,
      code: typeof v.code === 'number' ? v.code : null,
      reason: s(v.reason),
    };
    return {
      ok: true,
      event: {
        eventId: `veriff:${eventKey}`,
        eventType: `decision.${status}`,
        vendorData: s(v.vendorData) ?? '',
        signal,
      },
    };
  }
  const action = s(body.action) as VeriffEventSignal['status'];
  if (!s(body.id) || !Object.hasOwn(VERIFF_EVENT_CODES, action ?? ''))
    return { ok: false, reason: 'UNSUPPORTED_EVENT' };
  const eventKey = `event:${body.id}:${s(body.attemptId) ?? '-'}:${action}`;
  const signal: VeriffEventSignal = {
    eventKey,
    sessionId: s(body.id)!,
    kind: 'event',
    status: action,
    code: typeof body.code === 'number' ? body.code : null,
    reason: null,
  };
  return {
    ok: true,
    event: {
      eventId: `veriff:${eventKey}`,
      eventType: `event.${action}`,
      vendorData: s(body.vendorData) ?? '',
      signal,
    },
  };
}
