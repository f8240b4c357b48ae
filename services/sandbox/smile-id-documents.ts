import { randomUUID } from 'node:crypto';

import express, { Router } from 'express';

import type { Config } from '../../adapters/config';
import { smileSignature, verifySmileSignature } from '../../adapters/providers/smile-id/signature';
import {
  IMAGE_PARTS,
  SMILE_DOCUMENT_RESULT_CODES,
  SMILE_HEADERS,
  SMILE_PATHS,
} from '../../adapters/providers/smile-id/wire';

/**
 * Smile ID document verification simulator (v3 shape): `POST /v3/document-verification`
 * (multipart/form-data, signed headers) → 202 `{job_id}`; `GET /v3/status/{job_id}` → the signed
 * result. Deterministic outcomes from the selfie image's bytes:
 *   contains "SANDBOX-REJECT"  → 0811 Document Not Verified
 *   contains "SANDBOX-PENDING" → stays incomplete (job_complete false) forever
 *   anything else              → 0810 Document Verified
 * Images must be JPEG or PNG by signature, ≤ 4.5 MB; a selfie and a document front are required.
 */
export function smileIdDocumentSimulator(config: Pick<Config, 'SMILE_ID_API_KEY' | 'SMILE_ID_PARTNER_ID'>): Router {
  const router = Router();
  const jobs = new Map<string, { userId: string; outcome: 'verified' | 'rejected' | 'pending' }>();
  const creds = { apiKey: config.SMILE_ID_API_KEY, partnerId: config.SMILE_ID_PARTNER_ID };
  const authorised = (req: express.Request) =>
    req.get(SMILE_HEADERS.partnerId) === config.SMILE_ID_PARTNER_ID &&
    verifySmileSignature(creds, req.get(SMILE_HEADERS.timestamp) ?? '', req.get(SMILE_HEADERS.signature) ?? '');

  router.post(
    SMILE_PATHS.documentVerification,
    express.raw({ type: 'multipart/form-data', limit: '30mb' }),
    async (req, res) => {
      if (!authorised(req))
        return void res.status(401).json({ code: '2205', error: 'You are not authorized to do that.' });
      let form: FormData;
      try {
        form = await new Response(req.body as Buffer, {
          headers: { 'content-type': req.get('content-type') ?? '' },
        }).formData();
      } catch {
        return void res.status(400).json({ code: '2213', error: 'multipart/form-data body expected' });
      }
      const jobId = String(form.get('job_id') ?? '') || randomUUID();
      const selfie = form.get(IMAGE_PARTS[2]);
      const front = form.get(IMAGE_PARTS[3]);
      if (!(selfie instanceof Blob) || !(front instanceof Blob))
        return void res.status(400).json({ code: '2213', error: 'selfie_image and document_front_image are required' });
      for (const part of [selfie, front]) {
        const head = Buffer.from(await part.slice(0, 4).arrayBuffer());
        const isImage = (head[0] === 0xff && head[1] === 0xd8) || head.toString('latin1', 1, 4) === 'PNG';
        if (!isImage || part.size > 4.5 * 1024 * 1024)
          return void res.status(400).json({ code: '2213', error: 'images must be JPEG or PNG up to 4.5 MB' });
      }
      const bytes = Buffer.from(await selfie.arrayBuffer()).toString('latin1');
      const outcome = bytes.includes('SANDBOX-REJECT')
        ? 'rejected'
        : bytes.includes('SANDBOX-PENDING')
          ? 'pending'
          : 'verified';
      // Resubmitting the same job id is the same job (Smile deduplicates by job id).
      if (!jobs.has(jobId)) jobs.set(jobId, { userId: String(form.get('user_id') ?? ''), outcome });
      res.status(202).json({ job_id: jobId });
    },
  );

  router.get(`${SMILE_PATHS.status}/:jobId`, (req, res) => {
    if (!authorised(req))
      return void res.status(401).json({ code: '2205', error: 'You are not authorized to do that.' });
    const job = jobs.get(req.params.jobId);
    if (!job) return void res.status(404).json({ code: '2204', error: 'Job not found' });
    const timestamp = new Date().toISOString();
    const signed = {
      signature: smileSignature(config.SMILE_ID_API_KEY, config.SMILE_ID_PARTNER_ID, timestamp),
      timestamp,
    };
    if (job.outcome === 'pending')
      return void res.json({ job_id: req.params.jobId, job_complete: false, job_success: false, ...signed });
    const verified = job.outcome === 'verified';
    res.json({
      job_id: req.params.jobId,
      job_complete: true,
      job_success: verified,
      result: verified
        ? { ResultCode: SMILE_DOCUMENT_RESULT_CODES.verified, ResultText: 'Document Verified' }
        : { ResultCode: SMILE_DOCUMENT_RESULT_CODES.notVerified, ResultText: 'Document Not Verified' },
      ...signed,
    });
  });
  return router;
}
