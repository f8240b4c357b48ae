import { randomBytes, randomUUID } from 'node:crypto';

import express, { Router } from 'express';

import type { Config } from '../../adapters/config';
import type { Logger } from '../../adapters/logger';
import { twilioSignature } from '../../adapters/providers/twilio/signature';
import {
  TWILIO_API_VERSION,
  TWILIO_HEADERS,
  type TwilioErrorBody,
  twilioMessagesPath,
  type TwilioStatusCallbackParams,
} from '../../adapters/providers/twilio/wire';
import type { Outbox } from './outbox';
import { deliverWebhook } from './webhook-sender';

/**
 * Twilio's own magic test numbers (https://www.twilio.com/docs/iam/test-credentials), with the
 * same errors the real API returns for them.
 */
export const SANDBOX_SMS_FAILURES: Record<string, { code: number; message: string }> = {
  '+15005550001': { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
};

/** Twilio Messages API simulator; status callbacks are signed with X-Twilio-Signature. */
export function twilioRouter(deps: {
  config: Pick<Config, 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN'>;
  logger: Logger;
  outbox: Outbox;
}): Router {
  const router = Router();
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token } = deps.config;
  const expectedAuth = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
  const error = (status: number, code: number, message: string): TwilioErrorBody => ({
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });

  router.post(twilioMessagesPath(':sid'), express.urlencoded({ extended: false }), (req, res) => {
    if (req.params.sid !== sid || req.headers.authorization !== expectedAuth)
      return void res.status(401).json(error(401, 20003, 'Authenticate'));
    const { To, From, Body, StatusCallback } = req.body as Record<string, string | undefined>;
    if (!To) return void res.status(400).json(error(400, 21604, "A 'To' phone number is required."));
    if (!From) return void res.status(400).json(error(400, 21603, "A 'From' phone number is required."));
    if (!Body) return void res.status(400).json(error(400, 21602, 'Message body is required.'));
    const failure = SANDBOX_SMS_FAILURES[To];
    if (failure || !/^\+[1-9]\d{6,14}$/.test(To)) {
      const f = failure ?? { code: 21211, message: `The 'To' number ${To} is not a valid phone number.` };
      return void res.status(400).json(error(400, f.code, f.message));
    }
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const now = new Date();
    deps.outbox.add({
      id: randomUUID(),
      channel: 'sms',
      to: To,
      body: Body,
      meta: { provider: 'twilio', sid: messageSid, statusCallback: StatusCallback },
      createdAt: now.toISOString(),
    });
    res.status(201).json({
      sid: messageSid,
      account_sid: sid,
      to: To,
      from: From,
      body: Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: now.toUTCString(),
      date_updated: now.toUTCString(),
      date_sent: null,
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      api_version: TWILIO_API_VERSION,
      uri: `/${TWILIO_API_VERSION}/Accounts/${sid}/Messages/${messageSid}.json`,
    });
    if (StatusCallback)
      void sendStatusCallbacks(StatusCallback, {
        MessageSid: messageSid,
        SmsSid: messageSid,
        AccountSid: sid,
        From,
        To,
        ApiVersion: TWILIO_API_VERSION,
      });
  });

  async function sendStatusCallbacks(url: string, base: TwilioStatusCallbackParams & Record<string, string>) {
    for (const status of ['sent', 'delivered']) {
      const params: Record<string, string> = { ...base, MessageStatus: status, SmsStatus: status };
      const signature = twilioSignature(token, url, params);
      await deliverWebhook(
        {
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded', [TWILIO_HEADERS.signature]: signature },
          body: new URLSearchParams(params).toString(),
        },
        { logger: deps.logger, baseDelayMs: 500 },
      );
    }
  }
  return router;
}
