import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { Config } from '../../../adapters/config';
import { PermanentChannelError, RejectedByProvider, isTransientStatus, type SmsChannel } from '../../../adapters/notifications/channel';

// Twilio error codes that no retry can fix: invalid or non-mobile number, recipient opted out,
// region not enabled. https://www.twilio.com/docs/api/errors
const PERMANENT_CODES = new Set([21211, 21408, 21610, 21612, 21614]);

/**
 * The twilio SDK cannot be pointed at another host by option (`edge`/`region` only pick Twilio
 * hosts), so a RequestClient subclass rewrites the origin of every request it builds.
 */
function redirectingHttpClient(baseUrl: string) {
  const target = new URL(baseUrl);
  return new (class extends twilio.RequestClient {
    override request<T>(opts: RequestClient.RequestOptions<T>) {
      const uri = new URL(opts.uri);
      uri.protocol = target.protocol;
      uri.host = target.host;
      return super.request<T>({ ...opts, uri: uri.toString() });
    }
  })({ timeout: 10_000 });
}

export function createTwilioSmsChannel(
  config: Pick<Config, 'TWILIO_BASE_URL' | 'SANDBOX_URL' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_FROM_NUMBER'>,
): SmsChannel {
  const baseUrl = config.TWILIO_BASE_URL ?? config.SANDBOX_URL;
  const isReal = new URL(baseUrl).hostname === 'api.twilio.com';
  const client = twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, isReal ? {} : { httpClient: redirectingHttpClient(baseUrl) });

  return {
    async send(msg) {
      try {
        const m = await client.messages.create({ to: msg.to, from: config.TWILIO_FROM_NUMBER, body: msg.body, statusCallback: msg.statusCallback });
        return { providerMessageId: m.sid };
      } catch (err) {
        const e = err as { status?: number; code?: number };
        if (typeof e.status !== 'number') throw err; // network error or timeout: ambiguous
        // Twilio's messages quote the phone number: keep only the code (no PII in histories or logs).
        const message = `Twilio refused the message (HTTP ${e.status}, error ${e.code ?? 'unknown'})`;
        if (e.code && PERMANENT_CODES.has(e.code)) throw new PermanentChannelError(`TWILIO_${e.code}`, message);
        if (isTransientStatus(e.status) || e.status === 401) throw new RejectedByProvider(e.status, message);
        throw new PermanentChannelError(`TWILIO_${e.code ?? e.status}`, message);
      }
    },
  };
}
