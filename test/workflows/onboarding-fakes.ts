import { randomUUID } from 'node:crypto';

import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { KycActivities } from '../../activities/kyc/create-kyc-activities';
import type { CreateUserResult, UserActivities } from '../../activities/users/create-user-activities';
import type { NotificationRequest, NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import {
  type OnboardingInput,
  type OnboardingPolicy,
  onboardingStateQuery,
  onboardingWorkflowId,
  registerUpdate,
} from '../../domain/contracts/onboarding.contract';
import { onboarding } from '../../workflows/onboarding';
import { workflowBundle } from '../helpers/temporal';

export const HOUR = 3_600_000;

export const POLICY: OnboardingPolicy = {
  codeTtlMs: 24 * HOUR,
  codeMaxAttempts: 5,
  codeMaxResends: 3,
  resendCooldownMs: 60_000,
  confirmReminderAfterMs: 24 * HOUR,
  confirmAbandonAfterMs: 72 * HOUR,
  veriffMaxResubmissions: 9,
  kycStepReminderAfterMs: 72 * HOUR,
  kycStepAbandonAfterMs: 720 * HOUR,
};

/** What the fake activities saw, per user id, with the workflow time each call was scheduled at. */
export interface Recorded {
  /**
   * What was sent: the request, with the `code` the notifications worker would put in the email
   * (`data.code`) for requests that carry none; `requested` is the request's own data.
   */
  notifications: (NotificationRequest & { at: number; requested: Record<string, string> })[];
  statuses: { status: string; kycLevel?: string; reason?: string | null; at: number }[];
  kyc: { provider: string; state: Record<string, unknown> }[];
  sessions: number;
  links: number;
}

/** Test doubles with the real factories' types; behaviour keyed by user id. */
export function fakeActivities(clock?: () => Promise<number>) {
  const byUser = new Map<string, Recorded>();
  const createResult = new Map<string, CreateUserResult>();
  const rec = (userId: string) => {
    if (!byUser.has(userId)) byUser.set(userId, { notifications: [], statuses: [], kyc: [], sessions: 0, links: 0 });
    return byUser.get(userId)!;
  };
  // When the workflow asked for the step, in workflow (skipped) time. A local activity's scheduled
  // time is the worker's wall clock, so those read the test environment's clock (`clock`) instead.
  const at = async () => {
    const info = Context.current().info;
    return info.isLocal && clock ? clock() : info.scheduledTimestampMs;
  };
  let codes = 100_000;
  // The code of each confirmation email, by notification id: "derived" by issueConfirmationDigest
  // and put in the email by requestNotification, as the real worker and sender do.
  const emailCodes = new Map<string, string>();
  /** `${userId}:${event or activity}` → a promise the fake waits on (to hold the workflow mid-step). */
  const holds = new Map<string, Promise<void>>();

  const users: UserActivities = {
    async createOnboardingUser(input) {
      return createResult.get(input.userId) ?? { ok: true, tenantId: null, bridgeRequired: true };
    },
    async reopenOnboardingUser(input) {
      return (
        createResult.get(input.userId) ?? {
          ok: true,
          tenantId: null,
          bridgeRequired: true,
          confirmedAt: '2026-01-01T00:00:00.000Z',
        }
      );
    },
    async issueConfirmationDigest({ userId, notificationId }) {
      await holds.get(`${userId}:issueConfirmationDigest`);
      const code = emailCodes.get(notificationId) ?? String(++codes);
      emailCodes.set(notificationId, code);
      return { digest: `digest:${code}` };
    },
    async markEmailConfirmed() {},
    async recordKycState({ userId, provider, state }) {
      rec(userId).kyc.push({ provider, state });
    },
    async setUserStatus({ userId, status, kycLevel, reason, bridge }) {
      if (bridge) rec(userId).kyc.push({ provider: 'bridge', state: { ...bridge } });
      rec(userId).statuses.push({ status, kycLevel, reason, at: await at() });
    },
    async transitionUserStatus({ userId, to, kycLevel, reason }) {
      const statuses = rec(userId).statuses;
      const from = (statuses[statuses.length - 1]?.status ?? 'not_verified') as NonNullable<typeof to>;
      if (to === null || to === from) return { from, to: from, changed: false };
      statuses.push({ status: to, kycLevel, reason, at: await at() });
      return { from, to, changed: true };
    },
    async readAccountStanding({ userId }) {
      const statuses = rec(userId).statuses;
      return {
        status: statuses[statuses.length - 1]?.status ?? 'not_verified',
        rejectedByBridge: false,
        bridge: { kycStatus: null, tosStatus: null, rejectionReasons: [], kycAt: 0, tosAt: 0 },
      };
    },
  };
  const notify: NotificationRequestActivities = {
    async requestNotification(req) {
      await holds.get(`${req.userId}:${req.event}`);
      const code = req.data.code ? undefined : emailCodes.get(req.notificationId);
      rec(req.userId).notifications.push({
        ...req,
        data: code ? { ...req.data, code } : req.data,
        requested: req.data,
        at: await at(),
      });
      return { notificationId: req.notificationId };
    },
  };
  const kyc: KycActivities = {
    async createVeriffSession({ userId }) {
      const n = ++rec(userId).sessions;
      return { sessionId: `sess-${userId}-${n}`, url: `https://veriff.test/s/${n}` };
    },
    async createBridgeKycLink({ userId }) {
      rec(userId).links += 1;
      return {
        kycLinkId: `kl-${userId}`,
        kycLink: 'https://bridge.test/kyc',
        tosLink: 'https://bridge.test/tos',
        customerId: `cus-${userId}`,
      };
    },
  };
  /** Holds the user's `event` notifications (or the named activity) until the returned function is called. */
  const hold = (userId: string, event: string) => {
    let release!: () => void;
    holds.set(`${userId}:${event}`, new Promise<void>((r) => (release = r)));
    return release;
  };
  return { onboardingActivities: { ...users, ...notify }, kycActivities: kyc, rec, createResult, hold };
}

export type Fakes = ReturnType<typeof fakeActivities>;

/**
 * The onboarding's two workers on a time-skipping environment, with fresh fakes: the workflow and
 * the user/notification activities on `<prefix>-onboarding` (the queue to start runs on), the KYC
 * provider activities on `<prefix>-kyc-providers` (the queue the workflow derives from its own).
 * `close()` stops both; the caller tears the environment down.
 */
export async function startOnboardingWorkers(env: TestWorkflowEnvironment, prefix: string) {
  const fakes = fakeActivities(() => env.currentTimeMs());
  const queue = `${prefix}-onboarding`;
  const workers = [
    await Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowBundle: await workflowBundle(),
      activities: fakes.onboardingActivities,
    }),
    await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${prefix}-kyc-providers`,
      activities: fakes.kycActivities,
    }),
  ];
  const running = workers.map((w) => w.run());
  return {
    fakes,
    queue,
    async close() {
      workers.forEach((w) => w.shutdown());
      await Promise.allSettled(running);
    },
  };
}

/** Starts an onboarding run and waits for its registration to answer. */
export async function startOnboarding(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  overrides: Partial<OnboardingInput> = {},
): Promise<{ userId: string; handle: WorkflowHandle<typeof onboarding> }> {
  const userId = overrides.userId ?? randomUUID();
  const input: OnboardingInput = {
    userId,
    requestFingerprint: 'fp-1',
    policy: POLICY,
    ...overrides,
  };
  const handle = await env.client.workflow.start(onboarding, {
    taskQueue,
    workflowId: onboardingWorkflowId(userId),
    args: [input],
  });
  return { userId, handle };
}

export const state = (handle: WorkflowHandle) => handle.query(onboardingStateQuery);
export const register = (handle: WorkflowHandle, requestFingerprint = 'fp-1') =>
  handle.executeUpdate(registerUpdate, { args: [{ requestFingerprint }] });

/** Polls in real time: workflow state moves asynchronously to the test. */
export { waitFor as eventually } from '../helpers/wait';

/** The update failure's ApplicationFailure type (validator rejection or handler failure). */
export async function failureType(p: Promise<unknown>): Promise<{ type?: string; details?: unknown[] }> {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; details?: unknown[] } }).cause;
    return { type: cause?.type, details: cause?.details };
  }
  throw new Error('expected the update to fail');
}
