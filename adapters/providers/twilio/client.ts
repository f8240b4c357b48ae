import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

export interface TwilioCredentials {
  /** https://api.twilio.com, or the sandbox. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

/** Twilio answered with an error: it did not take the message. `code` is Twilio's error code. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
  ) {
    // Twilio's own messages quote the phone number: only the status and code (no PII in histories or logs).
    super(`Twilio refused the message (HTTP ${status}, error ${code ?? 'unknown'})`);
    this.name = 'TwilioApiError';
  }
}

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

/** `POST /2010-04-01/Accounts/{sid}/Messages.json` through the SDK, against the configured host. */
export function createTwilioClient(creds: TwilioCredentials) {
  const isReal = new URL(creds.baseUrl).hostname === 'api.twilio.com';
  const client = twilio(
    creds.accountSid,
    creds.authToken,
    isReal ? {} : { httpClient: redirectingHttpClient(creds.baseUrl) },
  );
  return {
    /** The message's sid; TwilioApiError when Twilio refused; any other error is ambiguous (network, timeout). */
    async sendSms(msg: { to: string; from: string; body: string; statusCallback: string }): Promise<{ sid: string }> {
      try {
        const m = await client.messages.create({
          to: msg.to,
          from: msg.from,
          body: msg.body,
          statusCallback: msg.statusCallback,
        });
        return { sid: m.sid };
      } catch (err) {
        const e = err as { status?: number; code?: number };
        if (typeof e.status !== 'number') throw err;
        throw new TwilioApiError(e.status, e.code);
      }
    },
  };
}
