// Firebase Cloud Messaging v1's wire facts (https://firebase.google.com/docs/cloud-messaging):
// the send path, the message body and the error codes the service acts on. Used by both push
// clients (firebase-admin and the sandbox's HTTP one) and the sandbox simulator.

export const fcmSendPath = (project: string) => `/v1/projects/${project}/messages:send`;

/** `message` of `POST /v1/projects/{project}/messages:send`. */
export interface FcmMessage {
  token: string;
  notification: { title: string; body: string };
  data: Record<string, string>;
}

/** The success answer: the message's resource name. */
export interface FcmSendResponse {
  name: string;
}

/** The error answer (google.rpc.Status with FcmError details). */
export interface FcmErrorBody {
  error: { code: number; message: string; status: string; details?: { '@type'?: string; errorCode?: string }[] };
}

/** Codes (REST and firebase-admin spellings) meaning "this token will never work again": forget the device. */
export const FCM_STALE_TOKEN_CODES: ReadonlySet<string> = new Set([
  'UNREGISTERED',
  'messaging/registration-token-not-registered',
]);
/** Codes meaning the token is malformed. */
export const FCM_INVALID_TOKEN_CODES: ReadonlySet<string> = new Set([
  'INVALID_ARGUMENT',
  'messaging/invalid-argument',
  'messaging/invalid-registration-token',
]);
