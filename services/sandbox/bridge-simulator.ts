import { createHash, randomUUID } from 'node:crypto';

import express, { Router } from 'express';

import { signBridgeWebhook } from '../../adapters/providers/bridge/signature';
import {
  BRIDGE_HEADERS,
  BRIDGE_KYC_STATUSES,
  BRIDGE_PATHS,
  type BridgeError,
  type BridgeKycLink,
  type BridgeWebhookEnvelope,
} from '../../adapters/providers/bridge/wire';
import type { SimulatorDeps } from './veriff-simulator';
import { deliverWebhook } from './webhook-sender';

export type { BridgeKycLink };

const KYC_STATUSES: readonly string[] = BRIDGE_KYC_STATUSES;
const error = (code: string, message: string, key?: string): BridgeError => ({
  code,
  message,
  source: { location: 'body', key: key ?? '' },
});

/**
 * Bridge (`/v0`): `POST /kyc_links` with Api-Key and a mandatory Idempotency-Key (same key and
 * body → the original response; same key, other body → error), and control endpoints that
 * accept the ToS or set the KYC status, each sending an RSA-signed webhook to POST /users/webhook/kyc.
 */
export function bridgeSimulator(deps: SimulatorDeps) {
  const links = new Map<string, BridgeKycLink>();
  const idempotency = new Map<string, { bodyHash: string; response: BridgeKycLink }>();
  const router = Router();
  const deliver = deps.deliver ?? ((d) => deliverWebhook(d, { logger: deps.logger }));
  const base = `${deps.config.SANDBOX_URL}/bridge`;

  router.post(`/bridge/v0${BRIDGE_PATHS.kycLinks}`, express.json(), (req, res) => {
    if (req.header(BRIDGE_HEADERS.apiKey) !== deps.config.BRIDGE_API_KEY)
      return void res.status(401).json(error('unauthorized', 'Invalid API key'));
    const key = req.header(BRIDGE_HEADERS.idempotencyKey);
    if (!key)
      return void res.status(400).json(error('bad_request', 'Idempotency-Key header is required', 'Idempotency-Key'));
    const bodyHash = createHash('sha256')
      .update(JSON.stringify(req.body ?? {}))
      .digest('hex');
    const prior = idempotency.get(key);
    if (prior) {
      if (prior.bodyHash !== bodyHash)
        return void res
          .status(422)
          .json(error('idempotency_key_reused', 'Idempotency-Key was used with a different request body'));
      return void res.status(200).json(prior.response);
    }
    const { email, full_name, type } = (req.body ?? {}) as Record<string, string>;
    if (!email || !full_name)
      return void res
        .status(400)
        .json(error('bad_request', 'email and full_name are required', email ? 'full_name' : 'email'));
    const id = randomUUID();
    const link: BridgeKycLink = {
      id,
      full_name,
      email,
      type: type === 'business' ? 'business' : 'individual',
      kyc_link: `${base}/kyc/${id}`,
      tos_link: `${base}/tos/${id}`,
      kyc_status: 'not_started',
      tos_status: 'pending',
      customer_id: randomUUID(),
      rejection_reasons: [],
      created_at: new Date().toISOString(),
    };
    links.set(id, link);
    idempotency.set(key, { bodyHash, response: link });
    res.status(200).json(link);
  });

  router.get(`/bridge/v0${BRIDGE_PATHS.kycLinks}/:id`, (req, res) => {
    if (req.header(BRIDGE_HEADERS.apiKey) !== deps.config.BRIDGE_API_KEY)
      return void res.status(401).json(error('unauthorized', 'Invalid API key'));
    const link = links.get(req.params.id);
    if (!link) return void res.status(404).json(error('not_found', 'KYC link not found'));
    res.json(link);
  });

  async function emit(link: BridgeKycLink, changes: Record<string, unknown>) {
    const privateKey = deps.config.SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY;
    if (!privateKey) throw new Error('SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY is not configured');
    const envelope: BridgeWebhookEnvelope = {
      api_version: 'v0',
      event_id: `wh_${randomUUID().replace(/-/g, '')}`,
      event_category: 'kyc_link',
      event_type: 'kyc_link.updated.status_transitioned',
      event_object_id: link.id,
      event_object_status: link.kyc_status,
      event_object: { ...link },
      event_object_changes: changes,
      event_created_at: new Date().toISOString(),
    };
    const body = JSON.stringify(envelope);
    return deliver({
      url: `${deps.apiUrl()}/users/webhook/kyc`,
      headers: { [BRIDGE_HEADERS.webhookSignature]: signBridgeWebhook(privateKey, body, Date.now()) },
      body,
    });
  }

  router.post('/bridge/kyc_links/:id/tos', async (req, res) => {
    const link = links.get(req.params.id);
    if (!link) return void res.status(404).json({ error: 'unknown kyc link' });
    const before = link.tos_status;
    link.tos_status = 'approved';
    res.json({ link, webhook: await emit(link, { tos_status: [before, 'approved'] }) });
  });

  router.post('/bridge/kyc_links/:id/kyc', express.json(), async (req, res) => {
    const link = links.get(req.params.id);
    const status = String((req.body as { status?: unknown })?.status ?? '');
    if (!link) return void res.status(404).json({ error: 'unknown kyc link' });
    if (!KYC_STATUSES.includes(status))
      return void res.status(400).json({ error: `status must be one of ${KYC_STATUSES.join(', ')}` });
    const before = link.kyc_status;
    link.kyc_status = status;
    link.rejection_reasons = status === 'rejected' ? [{ reason: 'Sandbox rejection' }] : [];
    res.json({ link, webhook: await emit(link, { kyc_status: [before, status] }) });
  });

  return { router, links };
}
