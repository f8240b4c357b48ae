import type { Credential } from 'firebase-admin/app';

import type { Config } from '../../../adapters/config';
import {
  isTransientStatus,
  PermanentChannelError,
  type PushChannel,
  type PushMessage,
  RejectedByProvider,
} from '../../../adapters/notifications/channel';
import { createFcmAdminClient, createFcmHttpClient, FcmApiError } from '../../../adapters/providers/firebase/client';
import {
  FCM_INVALID_TOKEN_CODES,
  FCM_STALE_TOKEN_CODES,
  type FcmMessage,
} from '../../../adapters/providers/firebase/wire';

/** The FCM v1 message; the sandbox and the real SDK send the same shape. */
export const fcmMessage = (msg: PushMessage): FcmMessage => ({
  token: msg.token,
  notification: { title: msg.title, body: msg.body },
  data: msg.data,
});

/** Maps an FCM refusal to the channel's error kinds; an unknown status is treated as transient. */
function channelError(err: unknown): never {
  if (!(err instanceof FcmApiError)) throw err;
  if (FCM_STALE_TOKEN_CODES.has(err.code))
    throw new PermanentChannelError('UNREGISTERED', 'The device token is no longer registered');
  if (FCM_INVALID_TOKEN_CODES.has(err.code)) throw new PermanentChannelError('INVALID_TOKEN', err.message);
  if (err.status === undefined || isTransientStatus(err.status))
    throw new RejectedByProvider(err.status ?? 503, err.message);
  throw new PermanentChannelError(err.code, err.message);
}

/**
 * The sandbox push provider: FCM v1 wire shape on the sandbox, plus an Idempotency-Key header it
 * honours (FCM itself has none), so a retried send is harmless.
 */
export function createSandboxPushChannel(
  config: Pick<Config, 'PUSH_SANDBOX_URL' | 'SANDBOX_URL' | 'FCM_PROJECT_ID'>,
): PushChannel {
  const client = createFcmHttpClient({
    baseUrl: config.PUSH_SANDBOX_URL ?? config.SANDBOX_URL,
    project: config.FCM_PROJECT_ID,
  });
  return {
    idempotent: true,
    async send(msg) {
      const sent = await client.send(fcmMessage(msg), msg.idempotencyKey).catch(channelError);
      return { providerMessageId: sent.name };
    },
  };
}

/** Firebase Cloud Messaging through firebase-admin (which hard-codes fcm.googleapis.com). */
export function createFcmPushChannel(
  config: Pick<Config, 'FCM_PROJECT_ID' | 'FCM_SERVICE_ACCOUNT_PATH'>,
  opts: { credential?: Credential; appName?: string } = {},
): PushChannel {
  const client = createFcmAdminClient({
    project: config.FCM_PROJECT_ID,
    serviceAccountPath: config.FCM_SERVICE_ACCOUNT_PATH,
    ...opts,
  });
  return {
    idempotent: false,
    async send(msg) {
      const sent = await client.send(fcmMessage(msg)).catch(channelError);
      return { providerMessageId: sent.name };
    },
  };
}

export function createPushChannel(
  config: Pick<
    Config,
    'FCM_PROJECT_ID' | 'FCM_SERVICE_ACCOUNT_PATH' | 'PUSH_PROVIDER' | 'PUSH_SANDBOX_URL' | 'SANDBOX_URL'
  >,
): PushChannel {
  return config.PUSH_PROVIDER === 'fcm' ? createFcmPushChannel(config) : createSandboxPushChannel(config);
}
