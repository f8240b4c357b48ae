import { randomUUID } from 'node:crypto';

import { signBridgeWebhook } from '../../adapters/providers/bridge/signature';
import { veriffSignature } from '../../adapters/providers/veriff/signature';
import { TEST_BRIDGE_WEBHOOK_PRIVATE_KEY } from './bridge-test-keys';
import { TEST_SECRETS } from './config';
import type { OnboardingStack } from './onboarding-stack';

/** Provider webhooks signed like Veriff (HMAC) and Bridge (RSA over "<t>.<body>") sign them. */
export function kycWebhooks(t: () => OnboardingStack) {
  const postVeriff = (
    payload: unknown,
    sign = veriffSignature(TEST_SECRETS.VERIFF_SHARED_SECRET, JSON.stringify(payload)),
  ) =>
    t().api('/users/webhook-kyc', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-auth-client': TEST_SECRETS.VERIFF_API_KEY,
        'x-hmac-signature': sign,
      },
      body: JSON.stringify(payload),
    });
  const postBridge = (payload: unknown, opts: { key?: string; t?: number } = {}) => {
    const body = JSON.stringify(payload);
    return t().api('/users/webhook/kyc', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-signature': signBridgeWebhook(
          opts.key ?? TEST_BRIDGE_WEBHOOK_PRIVATE_KEY,
          body,
          opts.t ?? Date.now(),
        ),
      },
      body,
    });
  };
  const veriffEvent = (sessionId: string, userId: string, action: 'started' | 'submitted') => ({
    id: sessionId,
    attemptId: 'att-1',
    feature: 'selfid',
    code: action === 'started' ? 7001 : 7002,
    action,
    vendorData: userId,
    endUserId: userId,
  });
  const veriffDecision = (sessionId: string, userId: string, status: string) => ({
    status: 'success',
    verification: {
      id: sessionId,
      attemptId: 'att-1',
      code: 9001,
      status,
      vendorData: userId,
      reason: null,
      decisionTime: '2026-01-01T00:00:00.000Z',
    },
  });
  const bridgeEvent = (kycLinkId: string, at: number, kyc: string, tos: string) => ({
    api_version: 'v0',
    event_id: `wh_${randomUUID()}`,
    event_category: 'kyc_link',
    event_type: 'kyc_link.updated.status_transitioned',
    event_object_id: kycLinkId,
    event_object_status: kyc,
    event_object: { id: kycLinkId, kyc_status: kyc, tos_status: tos },
    event_created_at: new Date(at).toISOString(),
  });

  /** A confirmed user with a Veriff session (created through the API and the sandbox). */
  async function withSession() {
    const u = await t().confirmedUser();
    const session = await t().api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers });
    return { ...u, sessionId: session.json.data.sessionId as string };
  }

  /** Veriff approved and a Bridge link created: the user waits for Bridge's KYC and terms. */
  async function awaitingBridge() {
    const u = await withSession();
    for (const p of [
      veriffEvent(u.sessionId, u.userId, 'submitted'),
      veriffDecision(u.sessionId, u.userId, 'approved'),
    ]) {
      const res = await postVeriff(p);
      if (res.status !== 200) throw new Error(`veriff webhook: ${res.text}`);
    }
    await t().waitFor(
      () => t().onboarding(u.userId, u.headers),
      (o) => o.step === 'awaiting_bridge_link',
      30_000,
    );
    const link = await t().api(`/users/${u.userId}/bridge-kyc`, {
      method: 'POST',
      headers: { ...u.headers, 'idempotency-key': `key-${u.userId}` },
    });
    if (link.status !== 200 && link.status !== 201) throw new Error(`bridge link: ${link.text}`);
    return { ...u, kycLinkId: link.json.data.kycLinkId as string };
  }

  return { postVeriff, postBridge, veriffEvent, veriffDecision, bridgeEvent, withSession, awaitingBridge };
}
