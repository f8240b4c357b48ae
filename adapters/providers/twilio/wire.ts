// Twilio Messaging's wire facts (https://www.twilio.com/docs/messaging/api/message-resource): the
// Messages path, the signed status callback and the error codes the service acts on. Used by the
// client, the status-callback parser and the sandbox simulator.

export const TWILIO_API_VERSION = '2010-04-01';
export const twilioMessagesPath = (accountSid: string) => `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages.json`;

export const TWILIO_HEADERS = { signature: 'X-Twilio-Signature' } as const;

/**
 * Error codes no retry can fix: invalid or non-mobile number, recipient opted out, region not
 * enabled. https://www.twilio.com/docs/api/errors
 */
export const TWILIO_PERMANENT_ERROR_CODES: ReadonlySet<number> = new Set([21211, 21408, 21610, 21612, 21614]);

/** Twilio's error body (`{code, message, more_info, status}`). */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** The form fields of a status callback we read (Twilio posts more). */
export interface TwilioStatusCallbackParams {
  MessageSid?: string;
  SmsSid?: string;
  AccountSid?: string;
  From?: string;
  To?: string;
  ApiVersion?: string;
  MessageStatus?: string;
  SmsStatus?: string;
  ErrorCode?: string;
}

/** MessageStatus → our delivery status; anything not listed only confirms acceptance (`sent`). */
export const TWILIO_DELIVERY_STATUS: Readonly<Record<string, 'sent' | 'delivered' | 'failed'>> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};
