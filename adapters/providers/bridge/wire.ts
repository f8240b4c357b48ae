// Bridge's wire shapes (https://apidocs.bridge.xyz): the KYC link we create, its statuses, and the
// webhook event envelope. Used by the client, the webhook parser and the sandbox simulator.

export const BRIDGE_HEADERS = {
  apiKey: 'Api-Key',
  idempotencyKey: 'Idempotency-Key',
  webhookSignature: 'X-Webhook-Signature',
} as const;
/** The webhook signature header as Node presents incoming headers (lower case): what a route reads. */
export const BRIDGE_WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';

export const BRIDGE_PATHS = { kycLinks: '/kyc_links' } as const;

/** `kyc_status` values of a KYC link (a customer's `status` uses `active` for approved). */
export const BRIDGE_KYC_STATUSES = [
  'not_started',
  'incomplete',
  'awaiting_questionnaire',
  'awaiting_ubo',
  'under_review',
  'approved',
  'rejected',
  'paused',
  'offboarded',
] as const;

/** `POST /v0/kyc_links` body. */
export interface BridgeKycLinkRequest {
  type: 'individual' | 'business';
  full_name: string;
  email: string;
}

/** A KYC link as `POST /v0/kyc_links` and `GET /v0/kyc_links/{id}` answer it. */
export interface BridgeKycLink {
  id: string;
  full_name: string;
  email: string;
  type: 'individual' | 'business';
  kyc_link: string;
  tos_link: string;
  kyc_status: string;
  tos_status: string;
  customer_id: string;
  rejection_reasons: { reason: string }[];
  created_at: string;
}

/** Bridge's error body. */
export interface BridgeError {
  code: string;
  message: string;
  source: { location: string; key: string };
}

/** The webhook event envelope (https://apidocs.bridge.xyz/v1/docs/event-structure). */
export interface BridgeWebhookEnvelope {
  api_version: string;
  event_id: string;
  event_category: 'kyc_link' | 'customer' | string;
  event_type: string;
  event_object_id: string;
  event_object_status: string;
  event_object: Record<string, unknown>;
  event_object_changes: Record<string, unknown>;
  event_created_at: string;
}
