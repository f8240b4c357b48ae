import fs from 'node:fs';

import { type App, cert, type Credential, initializeApp } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';

import { type FcmErrorBody, type FcmMessage, fcmSendPath, type FcmSendResponse } from './wire';

/** FCM refused the message: `code` is FCM's error code (or the HTTP status when none was given). */
export class FcmApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status, when the answer came over HTTP we could read (not through firebase-admin). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FcmApiError';
  }
}

/**
 * FCM's wire shape over plain HTTP, for the sandbox push provider (firebase-admin hard-codes
 * fcm.googleapis.com). It also sends an Idempotency-Key, which the sandbox honours (FCM has none).
 */
export function createFcmHttpClient(opts: { baseUrl: string; project: string }) {
  const url = `${opts.baseUrl.replace(/\/$/, '')}${fcmSendPath(opts.project)}`;
  return {
    async send(message: FcmMessage, idempotencyKey: string): Promise<{ name: string }> {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sandbox',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({ message }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => ({}))) as Partial<FcmSendResponse> & Partial<FcmErrorBody>;
      if (res.ok && body.name) return { name: body.name };
      const code = body.error?.details?.find((d) => d.errorCode)?.errorCode ?? body.error?.status ?? String(res.status);
      throw new FcmApiError(code, body.error?.message ?? `push provider answered ${res.status}`, res.status);
    },
  };
}

/** Firebase Cloud Messaging through firebase-admin; its errors carry FCM's code. */
export function createFcmAdminClient(opts: {
  project: string;
  serviceAccountPath?: string;
  credential?: Credential;
  appName?: string;
}) {
  const credential =
    opts.credential ??
    (opts.serviceAccountPath ? cert(JSON.parse(fs.readFileSync(opts.serviceAccountPath, 'utf8'))) : undefined);
  const app: App = initializeApp(
    { projectId: opts.project, ...(credential ? { credential } : {}) },
    opts.appName ?? `push-${opts.project}`,
  );
  const messaging = getMessaging(app);
  return {
    async send(message: FcmMessage): Promise<{ name: string }> {
      try {
        return { name: await messaging.send(message) };
      } catch (err) {
        const e = err as { code?: string; message?: string };
        if (!e.code) throw err;
        throw new FcmApiError(e.code, e.message ?? e.code);
      }
    },
  };
}
