import { ApplicationFailure } from '@temporalio/common';

import { PermanentChannelError, RejectedByProvider } from '../../adapters/notifications/channel';
import { readDelivery, recordProviderStatus, sendOnce } from '../../adapters/notifications/delivery-ledger';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// The exactly-once protocol against the real database, one crash shape per test.
describe('delivery ledger', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  let seq = 0;
  const delivery = (idempotentProvider = false) => {
    const notificationId = `n${++seq}`;
    return { key: `${notificationId}.sms`, notificationId, userId: 'u1', channel: 'sms' as const, idempotentProvider };
  };
  const ledger = (now = () => new Date()) => ({ models: db.models, reconcileWindowMs: 60_000, now });
  const counting = () => {
    const calls = { n: 0 };
    return { calls, send: async () => ({ providerMessageId: `SM${++calls.n}` }) };
  };
  const failureType = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e) => (e instanceof ApplicationFailure ? e.type : e.name),
    );

  it('sends once and answers later attempts from the record', async () => {
    const d = delivery();
    const { calls, send } = counting();
    expect(await sendOnce(ledger(), d, send)).toEqual({ providerMessageId: 'SM1', alreadySent: false });
    expect(await sendOnce(ledger(), d, send)).toEqual({ providerMessageId: 'SM1', alreadySent: true });
    expect(calls.n).toBe(1);
  });

  it('after a crash following the provider call, waits for the callback instead of resending', async () => {
    const d = delivery();
    const { calls, send } = counting();
    // The first attempt "dies" inside the provider call: the record stays `sending`.
    await expect(sendOnce(ledger(), d, () => Promise.reject(new Error('socket hang up')))).rejects.toThrow(
      'socket hang up',
    );
    expect(await failureType(sendOnce(ledger(), d, send))).toBe('AWAITING_CONFIRMATION');
    await recordProviderStatus(db.models, d.key, {
      status: 'delivered',
      providerStatus: 'delivered',
      providerMessageId: 'SM-real',
    });
    expect(await sendOnce(ledger(), d, send)).toEqual({ providerMessageId: 'SM-real', alreadySent: true });
    expect(calls.n).toBe(0);
  });

  it('resends an ambiguous send once the reconcile window passed without a callback', async () => {
    const d = delivery();
    const { calls, send } = counting();
    await expect(sendOnce(ledger(), d, () => Promise.reject(new Error('timeout')))).rejects.toThrow('timeout');
    const later = () => new Date(Date.now() + 61_000);
    expect(await sendOnce(ledger(later), d, send)).toMatchObject({ alreadySent: false });
    expect(calls.n).toBe(1);
  });

  it('resends at once when the provider deduplicates, and at once after an explicit rejection', async () => {
    const idem = delivery(true);
    await expect(sendOnce(ledger(), idem, () => Promise.reject(new Error('timeout')))).rejects.toThrow();
    expect(await sendOnce(ledger(), idem, counting().send)).toMatchObject({ alreadySent: false });

    const rejected = delivery();
    await expect(
      sendOnce(ledger(), rejected, () => Promise.reject(new RejectedByProvider(503, 'busy'))),
    ).rejects.toThrow('busy');
    expect((await readDelivery(db.models, rejected.key))!.status).toBe('pending');
    expect(await sendOnce(ledger(), rejected, counting().send)).toMatchObject({ alreadySent: false });
  });

  it('records a permanent failure once and never calls the provider again', async () => {
    const d = delivery();
    const first = sendOnce(ledger(), d, () =>
      Promise.reject(new PermanentChannelError('TWILIO_21211', 'invalid number')),
    );
    expect(await failureType(first)).toBe('PERMANENT_PROVIDER_ERROR');
    const { calls, send } = counting();
    expect(await failureType(sendOnce(ledger(), d, send))).toBe('PERMANENT_PROVIDER_ERROR');
    expect(calls.n).toBe(0);
    expect(await readDelivery(db.models, d.key)).toMatchObject({ status: 'failed', error: { code: 'TWILIO_21211' } });
  });

  it('lets only one of two racing attempts call the provider', async () => {
    const d = delivery();
    const calls = { n: 0 };
    const slow = async () => {
      calls.n++;
      await new Promise((r) => setTimeout(r, 50));
      return { providerMessageId: 'SM' };
    };
    const results = await Promise.allSettled([sendOnce(ledger(), d, slow), sendOnce(ledger(), d, slow)]);
    expect(calls.n).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('lets only one of two retries racing to resend after the reconcile window call the provider', async () => {
    const d = delivery();
    await expect(sendOnce(ledger(), d, () => Promise.reject(new Error('timeout')))).rejects.toThrow('timeout');
    const later = () => new Date(Date.now() + 61_000);
    const calls = { n: 0 };
    const slow = async () => {
      calls.n++;
      await new Promise((r) => setTimeout(r, 50));
      return { providerMessageId: 'SM-resent' };
    };
    const results = await Promise.allSettled([sendOnce(ledger(later), d, slow), sendOnce(ledger(later), d, slow)]);
    expect(calls.n).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await readDelivery(db.models, d.key)).toMatchObject({
      status: 'sent',
      attempts: 2,
      providerMessageId: 'SM-resent',
    });
  });

  it('keeps the first final outcome when a provider contradicts itself, and ignores unknown keys', async () => {
    const d = delivery();
    await sendOnce(ledger(), d, counting().send);
    expect(await recordProviderStatus(db.models, d.key, { status: 'delivered', providerStatus: 'delivered' })).toBe(
      true,
    );
    expect(
      await recordProviderStatus(db.models, d.key, {
        status: 'failed',
        providerStatus: 'undelivered',
        error: { code: 'TWILIO_30003', message: 'x' },
      }),
    ).toBe(true);
    expect(await readDelivery(db.models, d.key)).toMatchObject({
      status: 'delivered',
      error: null,
      providerMessageId: 'SM1',
    });
    expect(
      await recordProviderStatus(db.models, 'never-claimed.sms', { status: 'delivered', providerStatus: 'delivered' }),
    ).toBe(false);
    expect(await readDelivery(db.models, 'never-claimed.sms')).toBeNull();
  });

  it('moves a record only forward on out-of-order and repeated callbacks', async () => {
    const d = delivery();
    await sendOnce(ledger(), d, counting().send);
    await recordProviderStatus(db.models, d.key, { status: 'delivered', providerStatus: 'delivered' });
    await recordProviderStatus(db.models, d.key, { status: 'sent', providerStatus: 'sent' }); // late, older event
    await recordProviderStatus(db.models, d.key, { status: 'delivered', providerStatus: 'delivered' }); // repeated
    expect(await readDelivery(db.models, d.key)).toMatchObject({ status: 'delivered', providerStatus: 'delivered' });
  });
});
