import type { Client } from '@temporalio/client';

import type { Models } from '../../adapters/models';
import {
  type BridgeEventSignal,
  bridgeEventSignal,
  type VeriffEventSignal,
  veriffEventSignal,
} from '../../domain/contracts/onboarding.contract';
import { signalUserOwner } from '../users/signal-user-owner';

/** What an acknowledged webhook must become: one signal to the workflow that owns the user. */
export type WebhookSignalDelivery =
  | { provider: 'veriff'; workflowId: string; userId: string; signal: VeriffEventSignal }
  | { provider: 'bridge'; workflowId: string; userId: string; signal: BridgeEventSignal };

export interface DeliverWebhookSignalDeps {
  models: Pick<Models, 'User' | 'WebhookEvent' | 'WebhookPendingSignal'>;
  temporal: Client;
  /** The account workflow's task queue (provider news after the onboarding ended). */
  accountTaskQueue: string;
  now: () => Date;
}

/**
 * One signal, then the inbox mark, then the pending entry removed, in that order: a crash between
 * two steps leaves the pending entry, so the sweeper sends it again (the workflows drop repeats by
 * event key). The owner is the onboarding run while it runs, else the account workflow (news after
 * the onboarding: an offboarding, a late Veriff decision). A Veriff event names its user only by
 * the session's vendorData, so the account fallback first checks that such a user exists; none:
 * the event is kept for operators as unroutable.
 */
export async function deliverWebhookSignal(
  deps: DeliverWebhookSignalDeps,
  id: string,
  d: WebhookSignalDelivery,
): Promise<'signalled' | 'unroutable'> {
  const owner = { temporal: deps.temporal, accountTaskQueue: deps.accountTaskQueue };
  const sent =
    d.provider === 'veriff'
      ? await signalUserOwner(owner, d.userId, veriffEventSignal, d.signal, async () =>
          Boolean(await deps.models.User.exists({ _id: d.userId })),
        )
      : await signalUserOwner(owner, d.userId, bridgeEventSignal, d.signal);
  if (sent === 'none') {
    await deps.models.WebhookEvent.updateOne({ _id: id }, { $set: { unroutable: true } });
    await deps.models.WebhookPendingSignal.deleteOne({ _id: id });
    return 'unroutable';
  }
  await deps.models.WebhookEvent.updateOne({ _id: id }, { $set: { signaledAt: deps.now() } });
  await deps.models.WebhookPendingSignal.deleteOne({ _id: id });
  return 'signalled';
}
