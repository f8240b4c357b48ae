// Contract of the notifications workflow, shared by every workflow that sends a message, the
// notifications worker and the API. Pure types and constants: safe inside the workflow sandbox.
export const NOTIFY_WORKFLOW = 'notify';
export const notifyWorkflowId = (notificationId: string) => `notify-${notificationId}`;

export const NOTIFICATION_EVENTS = [
  'verification_code',
  'confirm_reminder',
  'kyc_approved',
  'kyc_declined',
  'kyc_resubmission',
  'kyc_session_expired',
  'kyc_status_update',
  'account_activated',
  'identity_number_request',
  'identity_number_reminder',
  'identity_number_verified',
  'identity_number_failed',
  'compliance_digest',
  'staff_welcome',
  'password_reset_code',
  'password_changed',
  'registration_attempted',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NotificationRequest {
  /**
   * Idempotency key: the same id never sends twice. Callers derive it from their own business
   * key (e.g. `${workflowId}.code.1`), so a retried activity or a replay cannot duplicate a message.
   */
  notificationId: string;
  userId: string;
  event: NotificationEvent;
  /** Template placeholders (strings only). */
  data: Record<string, string>;
  /** Restrict to these channels (e.g. only email for a verification code); default: the user's preferences. */
  channels?: Channel[];
}

/**
 * The one activity other workflows call to send a message: it starts `notify-<notificationId>`
 * on the notifications task queue (already started = success) and returns at once.
 */
export interface NotificationRequestActivities {
  requestNotification(req: NotificationRequest): Promise<{ notificationId: string }>;
}

/**
 * Transactional messages a user cannot opt out of: security codes, regulator-mandated
 * identity-number requests, the staff welcome (it carries the set-password link) and the password
 * reset code and "password changed" notice. They go to the selected channels whatever the user's preferences say.
 */
export const TRANSACTIONAL_EVENTS: readonly NotificationEvent[] = [
  'verification_code',
  'identity_number_request',
  'identity_number_reminder',
  'staff_welcome',
  'password_reset_code',
  'password_changed',
  'registration_attempted',
];

export type ChannelOutcome = 'sent' | 'failed' | 'skipped';

export interface NotifyResult {
  notificationId: string;
  status: 'sent' | 'failed';
  channels: Partial<Record<Channel, ChannelOutcome>>;
  /** Channels used because every selected one failed permanently, in the order tried. */
  fallbackUsed: Channel[];
}

/** What the notifications worker decided to attempt for one request (no PII: no addresses). */
export interface NotificationPlan {
  selected: Channel[];
  /** Eligible channels not selected, in the configured fallback order. */
  fallback: Channel[];
  /** The template language (preferences, else the user's locale), so each send need not read them again. Absent in plans recorded before it existed. */
  language?: string;
}

export interface ChannelSendInput {
  notificationId: string;
  userId: string;
  event: NotificationEvent;
  data: Record<string, string>;
  /** Set when this channel is a fallback for failed ones. */
  fallbackFor?: Channel[];
  /** From the plan; when absent the send reads the preferences itself. */
  language?: string;
}
