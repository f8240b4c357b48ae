import { randomUUID } from 'node:crypto';

import { smileRequestHeaders, smileSignature } from './signature';
import {
  type DocumentJobRequest,
  type DocumentJobStatus,
  IMAGE_PARTS,
  SMILE_PATHS,
  type SmileLookupBody,
  type SmileLookupRequest,
  type SmileLookupResponse,
} from './wire';

export interface SmileIdCredentials {
  baseUrl: string;
  partnerId: string;
  apiKey: string;
}

/** Smile ID answered with a non-2xx status (the activities decide what is permanent). */
export class SmileHttpError extends Error {
  constructor(readonly status: number) {
    super(`Smile ID answered HTTP ${status}`);
    this.name = 'SmileHttpError';
  }
}

const base = (creds: SmileIdCredentials) => creds.baseUrl.replace(/\/$/, '');

async function ok(res: Response, accepted: (status: number) => boolean): Promise<Response> {
  if (accepted(res.status)) return res;
  await res.arrayBuffer();
  throw new SmileHttpError(res.status);
}

/** Enhanced KYC: `POST /v1/id_verification`, signed in the body. */
export async function smileIdLookup(
  creds: SmileIdCredentials,
  req: SmileLookupRequest,
  fetchFn: typeof fetch = fetch,
): Promise<SmileLookupResponse> {
  const timestamp = new Date().toISOString();
  const body: SmileLookupBody = {
    partner_id: creds.partnerId,
    source_sdk: 'rest_api',
    source_sdk_version: '1.0.0',
    timestamp,
    signature: smileSignature(creds.apiKey, creds.partnerId, timestamp),
    country: req.country ?? 'NG',
    id_type: req.idType,
    id_number: req.idNumber,
    first_name: req.firstName,
    last_name: req.lastName,
    ...(req.dob ? { dob: req.dob } : {}),
    partner_params: { job_id: req.jobId || randomUUID(), user_id: req.userId, job_type: 5 },
  };
  const res = await fetchFn(`${base(creds)}${SMILE_PATHS.idVerification}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return (await (await ok(res, () => res.ok)).json()) as SmileLookupResponse;
}

/** Document verification: a multipart job with the images, answered `202 {job_id}`. */
export async function submitSmileDocumentJob(
  creds: SmileIdCredentials,
  req: DocumentJobRequest,
): Promise<{ job_id: string }> {
  const form = new FormData();
  form.set('job_id', req.jobId);
  form.set('user_id', req.userId);
  form.set('country', req.country);
  form.set('document_type', req.documentType);
  for (const img of req.images) {
    const bytes = Buffer.from(img.image, 'base64');
    const type = img.image.startsWith('/9j/') ? 'image/jpeg' : 'image/png';
    const part = IMAGE_PARTS[img.image_type_id];
    form.append(part, new Blob([bytes], { type }), `${part}.${type === 'image/jpeg' ? 'jpg' : 'png'}`);
  }
  const res = await fetch(`${base(creds)}${SMILE_PATHS.documentVerification}`, {
    method: 'POST',
    headers: smileRequestHeaders(creds),
    body: form,
    signal: AbortSignal.timeout(60_000),
  });
  return (await (await ok(res, (s) => s === 202 || s === 200)).json()) as { job_id: string };
}

/** `GET /v3/status/{job_id}`: the job's result, unverified (see job-result.ts). */
export async function smileDocumentJobStatus(creds: SmileIdCredentials, jobId: string): Promise<DocumentJobStatus> {
  const res = await fetch(`${base(creds)}${SMILE_PATHS.status}/${encodeURIComponent(jobId)}`, {
    headers: smileRequestHeaders(creds),
    signal: AbortSignal.timeout(20_000),
  });
  return (await (await ok(res, () => res.ok)).json()) as DocumentJobStatus;
}
