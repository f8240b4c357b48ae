import { randomUUID } from 'node:crypto';

import express, { Router } from 'express';

import type { Config } from '../../adapters/config';
import type { Logger } from '../../adapters/logger';
import { isValidVeriffSignature, veriffSignature } from '../../adapters/providers/veriff/signature';
import {
  VERIFF_DECISION_CODES,
  VERIFF_EVENT_CODES,
  VERIFF_HEADERS,
  VERIFF_PATHS,
  type VeriffDecisionWebhook,
  type VeriffEventWebhook,
  type VeriffSessionRequest,
  type VeriffSessionResponse,
} from '../../adapters/providers/veriff/wire';

type VeriffPerson = NonNullable<VeriffSessionRequest['verification']['person']>;
import { deliverWebhook, type WebhookDelivery } from './webhook-sender';

export interface VeriffSession {
  id: string;
  vendorData: string;
  endUserId: string | null;
  /** `verification.person` as sent (names only), for the dashboard. */
  person: { firstName: string; lastName: string } | null;
  status: string;
  attemptId: string;
  createdAt: string;
}

// Status → Veriff code, from the provider home (adapters/providers/veriff/wire.ts).
const EVENT_CODES: Record<string, number> = VERIFF_EVENT_CODES;
const DECISION_CODES: Record<string, number> = VERIFF_DECISION_CODES;

export interface SimulatorDeps {
  config: Pick<
    Config,
    'SANDBOX_URL' | 'VERIFF_API_KEY' | 'VERIFF_SHARED_SECRET' | 'BRIDGE_API_KEY' | 'SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY'
  >;
  logger: Logger;
  /** Where webhooks go (the API's public URL). */
  apiUrl: () => string;
  deliver?: (d: WebhookDelivery) => Promise<unknown>;
}

/**
 * Veriff as its API looks from outside: `POST /v1/sessions` (X-AUTH-CLIENT + X-HMAC-SIGNATURE),
 * and a control endpoint that plays the user and the reviewer, sending signed event and
 * decision webhooks to POST /users/webhook-kyc.
 */
export function veriffSimulator(deps: SimulatorDeps) {
  const sessions = new Map<string, VeriffSession>();
  const router = Router();
  const secret = deps.config.VERIFF_SHARED_SECRET;
  const deliver = deps.deliver ?? ((d) => deliverWebhook(d, { logger: deps.logger }));

  router.post(`/veriff${VERIFF_PATHS.sessions}`, express.raw({ type: '*/*' }), (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header(VERIFF_HEADERS.signature);
    if (
      req.header(VERIFF_HEADERS.client) !== deps.config.VERIFF_API_KEY ||
      !isValidVeriffSignature(secret, body, signature)
    ) {
      res.status(401).json({
        status: 'fail',
        code: '1102',
        message: 'Mandatory X-HMAC-SIGNATURE header containing the SHA256 hash of the payload.',
      });
      return;
    }
    let verification: Partial<Omit<VeriffSessionRequest['verification'], 'person'>> & {
      person?: Partial<VeriffPerson>;
    };
    try {
      verification = JSON.parse(body.toString('utf8')).verification ?? {};
    } catch {
      res.status(400).json({ status: 'fail', code: '1101', message: 'Invalid JSON' });
      return;
    }
    const id = randomUUID();
    const session: VeriffSession = {
      id,
      vendorData: verification.vendorData ?? '',
      endUserId: verification.endUserId ?? null,
      person: verification.person
        ? {
            firstName: String(verification.person.firstName ?? ''),
            lastName: String(verification.person.lastName ?? ''),
          }
        : null,
      status: 'created',
      attemptId: randomUUID(),
      createdAt: new Date().toISOString(),
    };
    sessions.set(id, session);
    const url = `${deps.config.SANDBOX_URL}/veriff/session/${id}`;
    const answer: VeriffSessionResponse = {
      status: 'success',
      verification: {
        id,
        url,
        vendorData: session.vendorData,
        host: deps.config.SANDBOX_URL,
        status: 'created',
        sessionToken: randomUUID(),
      },
    };
    res.status(201).json(answer);
  });

  router.post('/veriff/sessions/:sessionId/decision', express.json(), async (req, res) => {
    const session = sessions.get(req.params.sessionId);
    const status = String((req.body as { status?: unknown })?.status ?? '');
    if (!session) return void res.status(404).json({ error: 'unknown session' });
    if (!EVENT_CODES[status] && !DECISION_CODES[status]) {
      return void res.status(400).json({
        error: `status must be one of ${[...Object.keys(EVENT_CODES), ...Object.keys(DECISION_CODES)].join(', ')}`,
      });
    }
    session.status = status;
    const payload: VeriffEventWebhook | VeriffDecisionWebhook = EVENT_CODES[status]
      ? {
          id: session.id,
          attemptId: session.attemptId,
          feature: 'selfid',
          code: EVENT_CODES[status],
          action: status as VeriffEventWebhook['action'],
          vendorData: session.vendorData,
          endUserId: session.endUserId,
        }
      : {
          status: 'success',
          verification: {
            id: session.id,
            attemptId: session.attemptId,
            code: DECISION_CODES[status],
            status: status as VeriffDecisionWebhook['verification']['status'],
            vendorData: session.vendorData,
            endUserId: session.endUserId,
            reason:
              status === 'declined'
                ? 'Physical document not used'
                : status === 'resubmission_requested'
                  ? 'Video and/or photos missing'
                  : null,
            reasonCode: status === 'declined' ? 102 : status === 'resubmission_requested' ? 201 : null,
            decisionTime: new Date().toISOString(),
            acceptanceTime: session.createdAt,
          },
          technicalData: { ip: null },
        };
    // A new attempt follows a resubmission request, as in Veriff.
    if (status === 'resubmission_requested') session.attemptId = randomUUID();
    const body = JSON.stringify(payload);
    const result = await deliver({
      url: `${deps.apiUrl()}/users/webhook-kyc`,
      headers: {
        [VERIFF_HEADERS.client]: deps.config.VERIFF_API_KEY,
        [VERIFF_HEADERS.signature]: veriffSignature(secret, body),
      },
      body,
    });
    res.json({ session, webhook: result });
  });

  return { router, sessions };
}
