import fs from 'node:fs';
import { cert, initializeApp, type App, type Credential } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import type { Config } from '../../../adapters/config';
import { PermanentChannelError, RejectedByProvider, isTransientStatus, type PushChannel, type PushMessage } from '../../../adapters/notifications/channel';

// FCM errors that mean "this token will never work again": the device must be forgotten.
const STALE_TOKEN_CODES = new Set(['UNREGISTERED', 'messaging/registration-token-not-registered']);
const INVALID_TOKEN_CODES = new Set(['INVALID_ARGUMENT', 'messaging/invalid-argument', 'messaging/invalid-registration-token']);

/** The FCM v1 request body; the sandbox and the real SDK send the same shape. */
export const fcmMessage = (msg: PushMessage) => ({
  token: msg.token,
  notification: { title: msg.title, body: msg.body },
  data: msg.data,
});

/** Maps an FCM error to the channel's error kinds; an unknown status is treated as transient. */
function pushError(code: string, message: string, status?: number): Error {
  if (STALE_TOKEN_CODES.has(code)) return new PermanentChannelError('UNREGISTERED', 'The device token is no longer registered');
  if (INVALID_TOKEN_CODES.has(code)) return new PermanentChannelError('INVALID_TOKEN', message);
  if (status === undefined || isTransientStatus(status)) return new RejectedByProvider(status ?? 503, message);
  return new PermanentChannelError(code, message);
}

/**
 * The sandbox push provider: FCM v1 wire shape on the sandbox, plus an Idempotency-Key header it
 * honours (FCM itself has none), so a retried send is harmless.
 */
export function createSandboxPushChannel(config: Pick<Config, 'PUSH_SANDBOX_URL' | 'SANDBOX_URL' | 'FCM_PROJECT_ID'>): PushChannel {
  const url = `${config.PUSH_SANDBOX_URL ?? config.SANDBOX_URL}/v1/projects/${config.FCM_PROJECT_ID}/messages:send`;
  return {
    idempotent: true,
    async send(msg) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox', 'idempotency-key': msg.idempotencyKey },
        body: JSON.stringify({ message: fcmMessage(msg) }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => ({}))) as { name?: string; error?: { message?: string; status?: string; details?: { errorCode?: string }[] } };
      if (res.ok && body.name) return { providerMessageId: body.name };
      const code = body.error?.details?.find((d) => d.errorCode)?.errorCode ?? body.error?.status ?? String(res.status);
      throw pushError(code, body.error?.message ?? `push provider answered ${res.status}`, res.status);
    },
  };
}

/** Firebase Cloud Messaging through firebase-admin (which hard-codes fcm.googleapis.com). */
export function createFcmPushChannel(
  config: Pick<Config, 'FCM_PROJECT_ID' | 'FCM_SERVICE_ACCOUNT_PATH'>,
  opts: { credential?: Credential; appName?: string } = {},
): PushChannel {
  const credential = opts.credential ?? (config.FCM_SERVICE_ACCOUNT_PATH ? cert(JSON.parse(fs.readFileSync(config.FCM_SERVICE_ACCOUNT_PATH, 'utf8'))) : undefined);
  const app: App = initializeApp({ projectId: config.FCM_PROJECT_ID, ...(credential ? { credential } : {}) }, opts.appName ?? `push-${config.FCM_PROJECT_ID}`);
  const messaging = getMessaging(app);
  return {
    idempotent: false,
    async send(msg) {
      try {
        return { providerMessageId: await messaging.send(fcmMessage(msg)) };
      } catch (err) {
        const e = err as { code?: string; message?: string; httpResponse?: { status?: number } };
        if (!e.code) throw err;
        throw pushError(e.code, e.message ?? e.code);
      }
    },
  };
}

export function createPushChannel(config: Pick<Config, 'FCM_PROJECT_ID' | 'FCM_SERVICE_ACCOUNT_PATH' | 'PUSH_PROVIDER' | 'PUSH_SANDBOX_URL' | 'SANDBOX_URL'>): PushChannel {
  return config.PUSH_PROVIDER === 'fcm' ? createFcmPushChannel(config) : createSandboxPushChannel(config);
}
