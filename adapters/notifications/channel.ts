// Small interfaces in front of each provider SDK, so the delivery protocol (delivery-ledger.ts)
// does not care which provider or which environment (sandbox or real) is behind a channel.

export interface SentMessage {
  providerMessageId: string;
}

/** The provider refused for good (invalid number, unsubscribed, unregistered token): never retried. */
export class PermanentChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentChannelError';
  }
}

/**
 * The provider answered with an error, so it certainly did not accept the message: safe to
 * retry without reconciliation (network errors and timeouts are NOT this: they are ambiguous).
 */
export class RejectedByProvider extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RejectedByProvider';
  }
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Echoed back by the provider's event webhook (custom args), so callbacks find the delivery. */
  deliveryKey: string;
}

export interface EmailChannel {
  send(msg: EmailMessage): Promise<SentMessage>;
}

export interface SmsMessage {
  to: string;
  body: string;
  deliveryKey: string;
  /** Where the provider posts status changes; carries the delivery key. */
  statusCallback: string;
}

export interface SmsChannel {
  send(msg: SmsMessage): Promise<SentMessage>;
}

export interface PushMessage {
  token: string;
  title: string;
  body: string;
  data: Record<string, string>;
  /** Per device; providers that honour it (the sandbox) drop a repeated send. */
  idempotencyKey: string;
}

export interface PushChannel {
  /** True if the provider deduplicates on `idempotencyKey`, so an ambiguous send may be repeated at once. */
  readonly idempotent: boolean;
  send(msg: PushMessage): Promise<SentMessage>;
}

/** 429 and 5xx may succeed later; other 4xx answers are final. */
export const isTransientStatus = (status: number) => status === 429 || status >= 500;
