import { randomUUID } from 'node:crypto';

import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { IdentityNumberActivities } from '../../activities/identity-numbers/create-identity-number-activities';
import type {
  TransitionInput,
  VerificationActivities,
} from '../../activities/verification/create-verification-activities';
import type { NotificationRequest, NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import {
  cancelVerificationSignal,
  extendDueAtUpdate,
  type LookupResult,
  retryLookupUpdate,
  submitNumbersUpdate,
  type VerificationPlan,
  verificationRequestWorkflowId,
} from '../../domain/contracts/verification-request.contract';
import { VerificationRequestFailures } from '../../domain/failures/catalog';
import { verificationRequest } from '../../workflows/verification-request';
import { createTimeSkippingEnv, testDataConverter, workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';

const HOUR = 3_600_000;
/** Real-time polls for what the fakes saw (5 s was tight on a loaded 2-core machine). */
async function until(check: () => boolean) {
  await waitFor(check, Boolean, 30_000);
}
const SEALED = { bvn: { sealed: 'v1.test1.iv.body', last3: '901' } };

/** A whole-hour zone (Etc/GMT±N, sign inverted) in which `at` is 12:xx local time. */
function zoneWhereNoonAt(at: Date): string {
  const offset = ((12 - at.getUTCHours() + 36) % 24) - 12; // local = UTC + offset
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

describe('verificationRequest workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv({ dataConverter: testDataConverter() });
  });
  afterAll(() => env?.teardown());

  interface Harness {
    notifications: (NotificationRequest & { at: number })[];
    transitions: TransitionInput[];
    lookups: number;
    completed: number;
    dueAts: string[];
  }

  type Handle = Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>;

  async function run<T>(
    opts: {
      plan?: (createdAt: Date) => Partial<VerificationPlan>;
      lookup?: (n: number) => Promise<LookupResult>;
      dueInMs?: number;
    },
    body: (ctx: { h: Harness; handle: Handle; createdAt: Date }) => Promise<T>,
  ): Promise<{ h: Harness; out: T; createdAt: Date }> {
    const prefix = `vr${randomUUID().slice(0, 8)}-`;
    const createdAt = new Date(await env.currentTimeMs());
    const h: Harness = { notifications: [], transitions: [], lookups: 0, completed: 0, dueAts: [] };
    const plan: VerificationPlan = {
      timezone: 'Africa/Lagos',
      quietHours: { start: '21:00', end: '08:00' },
      ladder: [{ channel: 'email', afterMinutes: 24 * 60 }],
      maxSubmissions: 3,
      ...opts.plan?.(createdAt),
    };
    const db: VerificationActivities = {
      async getVerificationPlan() {
        return plan;
      },
      async recordVerificationDueAt(d) {
        h.dueAts.push(d.dueAt);
      },
      async recordVerificationTransition(t) {
        h.transitions.push(t);
      },
      async completeIdentityVerification() {
        h.completed += 1;
      },
    };
    const notify: NotificationRequestActivities = {
      async requestNotification(req) {
        // The server's (skipped) clock: when the workflow scheduled this send.
        h.notifications.push({ ...req, at: Context.current().info.scheduledTimestampMs });
        return { notificationId: req.notificationId };
      },
    };
    const kyc: IdentityNumberActivities = {
      async lookupIdentityNumbers() {
        h.lookups += 1;
        return (opts.lookup ?? (async () => ({ outcome: 'match' as const, results: [] })))(h.lookups);
      },
    };
    const dataConverter = testDataConverter();
    const onboarding = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${prefix}onboarding`,
      workflowBundle: await workflowBundle(),
      activities: { ...db, ...notify },
      dataConverter,
    });
    const providers = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${prefix}kyc-providers`,
      activities: kyc,
      dataConverter,
    });
    const requestId = randomUUID();
    const dueAt = new Date(createdAt.getTime() + (opts.dueInMs ?? 7 * 24 * HOUR));
    const out = await providers.runUntil(
      onboarding.runUntil(async () => {
        const handle = await env.client.workflow.start(verificationRequest, {
          taskQueue: `${prefix}onboarding`,
          workflowId: verificationRequestWorkflowId(requestId),
          args: [
            {
              requestId,
              userId: 'u1',
              tenantId: 't1',
              types: ['bvn'],
              createdAt: createdAt.toISOString(),
              dueAt: dueAt.toISOString(),
            },
          ],
        });
        return body({ h, handle, createdAt });
      }),
    );
    return { h, out, createdAt };
  }

  // The test server can miss the completion of an update that finishes in the same task as
  // other work when long-polled with executeUpdate; waiting for ACCEPTED first is reliable.
  const submit = async (handle: Handle) =>
    (
      await handle.startUpdate(submitNumbersUpdate, { args: [SEALED], waitForStage: WorkflowUpdateStage.ACCEPTED })
    ).result();
  const statuses = (h: Harness) => h.transitions.map((t) => t.to);
  const reminders = (h: Harness) => h.notifications.filter((n) => n.event === 'identity_number_reminder');
  const noMatch: LookupResult = {
    outcome: 'no_match',
    results: [{ type: 'bvn', outcome: 'no_match', resultCode: '1012' }],
  };

  it('sends the reminder ladder at exact times, shifts one out of quiet hours, then expires at the due date', async () => {
    const { h, out, createdAt } = await run(
      {
        plan: (createdAt) => ({
          timezone: zoneWhereNoonAt(createdAt), // created at 12:xx local
          ladder: [
            { channel: 'email', afterMinutes: 24 * 60 }, // 12:xx next day: sent as is
            { channel: 'sms', afterMinutes: 36 * 60 }, // 00:xx local: quiet, moved to 08:00
            { channel: 'push', afterMinutes: 48 * 60 },
          ],
        }),
      },
      ({ handle }) => handle.result(),
    );
    const t0 = createdAt.getTime();
    const smsRaw = t0 + 36 * HOUR;
    const expected = [t0 + 24 * HOUR, smsRaw - (smsRaw % HOUR) + 8 * HOUR, t0 + 48 * HOUR];
    const sent = reminders(h);
    expect(sent.map((n) => n.channels)).toEqual([['email'], ['sms'], ['push']]);
    sent.forEach((n, i) => expect(Math.abs(n.at - expected[i])).toBeLessThan(2_000));
    expect(out).toEqual({ status: 'expired', attempts: 0 });
    expect(statuses(h)).toEqual(['notified', 'expired']);
    const expiredAt = new Date(h.transitions[1].at).getTime();
    expect(Math.abs(expiredAt - (t0 + 7 * 24 * HOUR))).toBeLessThan(2_000);
    // Deterministic ids: a retried activity can never send twice.
    expect(h.notifications.map((n) => n.notificationId.split('.').slice(1).join('.'))).toEqual([
      'request',
      'reminder.1',
      'reminder.2',
      'reminder.3',
    ]);
  });

  it('stops the ladder at once when staff cancel mid-way', async () => {
    const { h, out } = await run(
      {
        plan: () => ({
          ladder: [
            { channel: 'email', afterMinutes: 60 },
            { channel: 'sms', afterMinutes: 72 * 60 },
          ],
        }),
      },
      async ({ handle, h }) => {
        while (reminders(h).length === 0) await env.sleep('10 minutes');
        await handle.signal(cancelVerificationSignal, { actor: 'staff-1', reason: 'customer closed account' });
        return handle.result();
      },
    );
    expect(out.status).toBe('cancelled');
    expect(reminders(h).map((n) => n.channels)).toEqual([['email']]);
    expect(h.transitions.at(-1)).toMatchObject({
      to: 'cancelled',
      actor: 'staff-1',
      reason: 'customer closed account',
    });
  });

  it('retries a provider outage with backoff and then verifies', async () => {
    const { h, out } = await run(
      {
        lookup: async (n) => {
          if (n < 3)
            throw ApplicationFailure.create({ type: 'PROVIDER_UNAVAILABLE', message: 'authority unavailable (1015)' });
          return { outcome: 'match', results: [{ type: 'bvn', outcome: 'match', resultCode: '1012' }] };
        },
      },
      async ({ handle }) => {
        const ack = await submit(handle);
        expect(ack).toEqual({ attempt: 1, status: 'submitted' });
        return handle.result();
      },
    );
    expect(out).toEqual({ status: 'verified', attempts: 1 });
    expect(h.lookups).toBe(3);
    expect(h.completed).toBe(1);
    expect(statuses(h)).toEqual(['notified', 'submitted', 'verifying', 'verified']);
    expect(h.transitions[1].numbers).toEqual(SEALED);
    expect(h.notifications.map((n) => n.event)).toContain('identity_number_verified');
  });

  it('fails a mismatch with an actionable reason and accepts a resubmission', async () => {
    const { h, out } = await run(
      { lookup: async (n) => (n === 1 ? noMatch : { outcome: 'match', results: [] }) },
      async ({ handle, h }) => {
        await submit(handle);
        await until(() => statuses(h).includes('failed'));
        const second = await submit(handle);
        expect(second.attempt).toBe(2);
        return handle.result();
      },
    );
    expect(out).toEqual({ status: 'verified', attempts: 2 });
    const failed = h.transitions.find((t) => t.to === 'failed')!;
    expect(failed).toMatchObject({ failure: { code: 'NO_MATCH' }, canResubmit: true });
    expect(h.notifications.find((n) => n.event === 'identity_number_failed')?.data).toMatchObject({
      reasonCode: 'NO_MATCH',
      canResubmit: 'true',
    });
  });

  it('closes the request when the resubmission limit is reached', async () => {
    const { h, out } = await run(
      { plan: () => ({ maxSubmissions: 2 }), lookup: async () => noMatch },
      async ({ handle, h }) => {
        await submit(handle);
        await until(() => statuses(h).includes('failed'));
        await submit(handle);
        const result = await handle.result();
        await expect(submit(handle)).rejects.toThrow();
        return result;
      },
    );
    expect(out).toEqual({ status: 'failed', attempts: 2 });
    expect(h.lookups).toBe(2);
    expect(h.transitions.at(-1)).toMatchObject({ to: 'failed', canResubmit: false });
  });

  it('rejects a second submission while one is being verified', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { out } = await run(
      { lookup: async () => (await gate, { outcome: 'match', results: [] }) },
      async ({ handle }) => {
        await submit(handle);
        const err = await submit(handle).catch((e) => e);
        expect(err.cause?.type).toBe(VerificationRequestFailures.type.VERIFICATION_IN_PROGRESS);
        release();
        return handle.result();
      },
    );
    expect(out.status).toBe('verified');
  });

  // Staff case actions (docs/operations.md).
  const staffUpdate = async <R, A>(handle: Handle, def: UpdateDefinition<R, [A]>, arg: A): Promise<R> =>
    (await handle.startUpdate(def, { args: [arg], waitForStage: WorkflowUpdateStage.ACCEPTED })).result();

  it('retries the provider step of a failed request with the last numbers, as the staff member', async () => {
    const { h, out } = await run(
      { lookup: async (n) => (n === 1 ? noMatch : { outcome: 'match', results: [] }) },
      async ({ handle, h }) => {
        const early = await staffUpdate(handle, retryLookupUpdate, { actor: 'officer-1', reason: 'too early' }).then(
          () => null,
          (e: { cause?: { type?: string } }) => e,
        );
        expect(early?.cause?.type).toBe(VerificationRequestFailures.type.NOTHING_TO_RETRY);
        await submit(handle);
        await until(() => statuses(h).includes('failed'));
        const ack = await staffUpdate(handle, retryLookupUpdate, { actor: 'officer-1', reason: 'provider fixed' });
        expect(ack).toEqual({ attempt: 2, status: 'submitted' });
        return handle.result();
      },
    );
    expect(out).toEqual({ status: 'verified', attempts: 2 });
    expect(h.lookups).toBe(2);
    const resubmitted = h.transitions.filter((t) => t.to === 'submitted');
    expect(resubmitted.map((t) => t.actor)).toEqual(['u1', 'officer-1']);
    expect(resubmitted[1].numbers).toEqual(SEALED);
  });

  it('extends the due date: the request expires at the new one, and an earlier date is refused', async () => {
    const { h, out, createdAt } = await run(
      { dueInMs: 2 * HOUR, plan: () => ({ ladder: [] }) },
      async ({ handle, createdAt }) => {
        const earlier = new Date(createdAt.getTime() + HOUR).toISOString();
        const refused = await staffUpdate(handle, extendDueAtUpdate, {
          actor: 'officer-1',
          reason: null,
          dueAt: earlier,
        }).then(
          () => null,
          (e: { cause?: { type?: string } }) => e,
        );
        expect(refused?.cause?.type).toBe(VerificationRequestFailures.type.INVALID_DUE_DATE);
        const later = new Date(createdAt.getTime() + 10 * HOUR).toISOString();
        expect(
          await staffUpdate(handle, extendDueAtUpdate, {
            actor: 'officer-1',
            reason: 'customer travelling',
            dueAt: later,
          }),
        ).toEqual({ dueAt: later });
        return handle.result();
      },
    );
    expect(out.status).toBe('expired');
    expect(h.dueAts).toHaveLength(1);
    const expiredAt = new Date(h.transitions.at(-1)!.at).getTime();
    expect(Math.abs(expiredAt - (createdAt.getTime() + 10 * HOUR))).toBeLessThan(2_000);
  });
});
