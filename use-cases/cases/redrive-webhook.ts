import type { Client } from '@temporalio/client';

import type { Config } from '../../adapters/config';
import { createFieldCipher, type FieldCipher } from '../../adapters/crypto/field-cipher';
import type { Models } from '../../adapters/models';
import { bridgeObjectOwnerId } from '../../adapters/models/bridge-object-owner';
import { readBridgeWebhookBody } from '../../adapters/providers/bridge/webhook';
import { readVeriffWebhookBody } from '../../adapters/providers/veriff/webhook';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { taskQueues } from '../../domain/task-queues';
import { deliverWebhookSignal, type WebhookSignalDelivery } from '../webhooks/deliver-webhook-signal';
import { CaseCommandError } from './case-errors';

export interface RedriveWebhookDeps {
  models: Pick<Models, 'User' | 'BridgeObjectOwner' | 'WebhookEvent' | 'WebhookPendingSignal'>;
  temporal: Client;
  cipher: FieldCipher;
  /** The account workflow's task queue (the owner once the onboarding ended). */
  accountTaskQueue: string;
  now: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same AAD the dispatcher seals pending entries with (services/api/webhooks/webhook-signals.ts). */
const pendingAad = (id: string) => `pending-signal:${id}`;

const stillUnroutable = (why: string) => new CaseCommandError(409, 'WEBHOOK_STILL_UNROUTABLE', why);

/**
 * What the stored event must become, routed as the intake routes it (use-cases/webhooks/
 * receive-kyc-webhook.ts): an acknowledged one has its pending entry (what the dispatcher would
 * send); an unroutable one is read again from its sealed raw body (its signature was checked when it
 * was received) and routed by today's records: Veriff by the session's vendorData, Bridge by the
 * object's recorded owner.
 */
async function deliveryOf(
  deps: RedriveWebhookDeps,
  e: { _id: string; provider: string; receivedAt: Date; payloadSealed: string },
): Promise<WebhookSignalDelivery> {
  const pending = await deps.models.WebhookPendingSignal.findById(e._id).lean();
  if (pending)
    return JSON.parse(deps.cipher.decrypt(pending.deliverySealed, pendingAad(e._id))) as WebhookSignalDelivery;
  const raw = Buffer.from(deps.cipher.decrypt(e.payloadSealed, e._id), 'utf8');
  if (e.provider === 'veriff') {
    const parsed = readVeriffWebhookBody(raw);
    if (!parsed.ok) throw stillUnroutable(`The stored event cannot be read (${parsed.reason})`);
    const userId = parsed.event.vendorData;
    if (!UUID.test(userId)) throw stillUnroutable('The Veriff session names no user of this service (vendorData)');
    return { provider: 'veriff', workflowId: onboardingWorkflowId(userId), userId, signal: parsed.event.signal };
  }
  const parsed = readBridgeWebhookBody(raw, e.receivedAt.getTime());
  if (!parsed.ok) throw stillUnroutable(`The stored event cannot be read (${parsed.reason})`);
  const { object, signal } = parsed.event;
  const owner = await deps.models.BridgeObjectOwner.findById(bridgeObjectOwnerId(object.kind, object.id)).lean();
  const field = object.kind === 'customer' ? 'kyc.bridge.customerId' : 'kyc.bridge.kycLinkId';
  const user = owner
    ? { _id: owner.userId }
    : await deps.models.User.findOne({ [field]: object.id }, { _id: 1 }).lean();
  if (!user) throw stillUnroutable(`No user has Bridge ${object.kind} ${object.id}`);
  return { provider: 'bridge', workflowId: onboardingWorkflowId(user._id), userId: user._id, signal };
}

/**
 * Re-drives one stored webhook event through the intake's own dispatch (deliver-webhook-signal:
 * the onboarding run while it runs, else the account workflow), for a `webhook_pending` or
 * `webhook_unroutable` case. Idempotent: the workflows drop an event they have seen by its event key,
 * and a signalled event is refused (409 CASE_MOVED_ON). An event whose user still does not exist
 * stays unroutable and is refused (409 WEBHOOK_STILL_UNROUTABLE): no workflow is started for nobody.
 */
export async function redriveWebhook(deps: RedriveWebhookDeps, eventId: string) {
  const e = await deps.models.WebhookEvent.findById(eventId).lean();
  if (!e) throw new CaseCommandError(404, 'NOT_FOUND', 'The webhook event is gone');
  if (e.signaledAt) throw new CaseCommandError(409, 'CASE_MOVED_ON', 'The event was already signalled');
  const delivery = await deliveryOf(deps, e);
  const sent = await deliverWebhookSignal(deps, eventId, delivery);
  if (sent === 'unroutable') throw stillUnroutable('No onboarding runs for this user and no such user exists');
  // Routed now: the inbox entry says where it went, so the unroutable case resolves.
  await deps.models.WebhookEvent.updateOne(
    { _id: eventId },
    { $set: { unroutable: false, workflowId: delivery.workflowId } },
  );
  return { signalled: true, provider: delivery.provider, userId: delivery.userId };
}

/** The redrive as the API and the ops CLI build it: the at-rest cipher and the onboarding task queue from config. */
export function webhookRedriver(deps: {
  models: RedriveWebhookDeps['models'];
  temporal: Client;
  config: Pick<Config, 'PII_ENCRYPTION_KEYS' | 'TASK_QUEUE_PREFIX'>;
  now: () => Date;
}) {
  const cipher = createFieldCipher(deps.config.PII_ENCRYPTION_KEYS);
  const accountTaskQueue = taskQueues(deps.config.TASK_QUEUE_PREFIX).onboarding;
  return (eventId: string) => redriveWebhook({ ...deps, cipher, accountTaskQueue }, eventId);
}
