// SendGrid's wire facts (v3 Mail Send, global suppressions, the Signed Event Webhook). Used by the
// client, the event-webhook parser and the sandbox simulator.

export const SENDGRID_PATHS = {
  mailSend: '/v3/mail/send',
  /** `GET {globalSuppressions}/{email}`. */
  globalSuppressions: '/v3/asm/suppressions/global',
} as const;

export const SENDGRID_HEADERS = {
  /** base64 DER ECDSA P-256 signature over timestamp + raw body. */
  eventSignature: 'X-Twilio-Email-Event-Webhook-Signature',
  eventTimestamp: 'X-Twilio-Email-Event-Webhook-Timestamp',
  /** On the 202 of a mail send. */
  messageId: 'X-Message-Id',
} as const;

/** Our delivery key travels as a custom arg and comes back on every event of the message. */
export const SENDGRID_DELIVERY_KEY_ARG = 'deliveryKey';

/** Events older than this (by their signed timestamp) are refused as replays. */
export const SENDGRID_MAX_EVENT_AGE_SECONDS = 15 * 60;

/** One event of the event webhook's JSON array (custom args are top-level fields). */
export interface SendGridEvent {
  email: string;
  timestamp: number;
  event: string;
  sg_event_id: string;
  sg_message_id: string;
  [customArg: string]: unknown;
}

/** Event types that change a delivery; opens, clicks and deferrals do not. */
export const SENDGRID_DELIVERY_EVENT: Readonly<Record<string, 'sent' | 'delivered' | 'failed'>> = {
  processed: 'sent',
  delivered: 'delivered',
  bounce: 'failed',
  dropped: 'failed',
};

/** A global suppression lookup's answer: `recipient_email` when the address is suppressed. */
export interface SendGridSuppression {
  recipient_email?: string;
}

/** SendGrid's error body. */
export interface SendGridErrorBody {
  errors: { message: string; field: string | null; help: string | null }[];
}
