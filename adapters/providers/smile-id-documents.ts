import { createHmac, timingSafeEqual } from 'node:crypto';
import { smileSignature, type SmileIdCredentials } from './smile-id-client';

// Smile ID document verification (v3 style): a multipart/form-data job with the JPEG images
// (selfie, document front/back), answered `202 {job_id}`; the result at GET /v3/status/{job_id},
// signed like Smile's callbacks: `signature` = base64 HMAC-SHA256(api_key, timestamp + partner_id
// + "sid_request"), which we check before believing a result. Headers carry the request
// signature (`SmileID-Partner-ID`, `SmileID-Request-Signature`, `SmileID-Timestamp`).
// https://docs.usesmileid.com/api-reference — the sandbox simulator speaks the same shape.

export const SMILE_DOCUMENT_RESULT_CODES = { verified: '0810', notVerified: '0811', underReview: '0812' } as const;

/** Smile's image_type_id → the v3 multipart part name. */
export const IMAGE_PARTS: Record<number, string> = { 2: 'selfie_image', 3: 'document_front_image', 6: 'liveness_images', 7: 'document_back_image' };

export interface DocumentJobRequest {
  jobId: string;
  userId: string;
  country: string;
  documentType: string;
  images: { image_type_id: number; image: string }[];
}

export interface DocumentJobStatus {
  job_id: string;
  job_complete: boolean;
  job_success: boolean;
  result?: { ResultCode: string; ResultText: string };
  signature: string;
  timestamp: string;
}

export class SmileDocumentHttpError extends Error {
  constructor(readonly status: number) {
    super(`Smile ID answered HTTP ${status}`);
    this.name = 'SmileDocumentHttpError';
  }
}

export function smileRequestHeaders(creds: SmileIdCredentials, timestamp = new Date().toISOString()): Record<string, string> {
  return { 'SmileID-Partner-ID': creds.partnerId, 'SmileID-Request-Signature': smileSignature(creds.apiKey, creds.partnerId, timestamp), 'SmileID-Timestamp': timestamp };
}

export function verifySmileSignature(creds: Pick<SmileIdCredentials, 'apiKey' | 'partnerId'>, timestamp: string, signature: string): boolean {
  const expected = Buffer.from(createHmac('sha256', creds.apiKey).update(timestamp + creds.partnerId + 'sid_request').digest('base64'));
  const given = Buffer.from(signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const base = (creds: SmileIdCredentials) => creds.baseUrl.replace(/\/$/, '');

export async function submitSmileDocumentJob(creds: SmileIdCredentials, req: DocumentJobRequest): Promise<{ job_id: string }> {
  const form = new FormData();
  form.set('job_id', req.jobId);
  form.set('user_id', req.userId);
  form.set('country', req.country);
  form.set('document_type', req.documentType);
  for (const img of req.images) {
    const bytes = Buffer.from(img.image, 'base64');
    const type = img.image.startsWith('/9j/') ? 'image/jpeg' : 'image/png';
    form.append(IMAGE_PARTS[img.image_type_id], new Blob([bytes], { type }), `${IMAGE_PARTS[img.image_type_id]}.${type === 'image/jpeg' ? 'jpg' : 'png'}`);
  }
  const res = await fetch(`${base(creds)}/v3/document-verification`, { method: 'POST', headers: smileRequestHeaders(creds), body: form, signal: AbortSignal.timeout(60_000) });
  if (res.status !== 202 && res.status !== 200) {
    await res.arrayBuffer();
    throw new SmileDocumentHttpError(res.status);
  }
  return (await res.json()) as { job_id: string };
}

export async function smileDocumentJobStatus(creds: SmileIdCredentials, jobId: string): Promise<DocumentJobStatus> {
  const res = await fetch(`${base(creds)}/v3/status/${encodeURIComponent(jobId)}`, { headers: smileRequestHeaders(creds), signal: AbortSignal.timeout(20_000) });
  if (!res.ok) {
    await res.arrayBuffer();
    throw new SmileDocumentHttpError(res.status);
  }
  return (await res.json()) as DocumentJobStatus;
}
