import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { KycActivities } from '../activities/kyc/create-kyc-activities';
import type { UserActivities } from '../activities/users/create-user-activities';
import type { KycLevel, UserStatus } from '../domain/vocabulary/users';
import { siblingQueue } from '../domain/task-queues';
import { activityProfiles, localActivityProfiles } from './activity-profiles';
import { routeActivities } from './route-activities';
import type { NotificationEvent, NotificationRequestActivities } from '../domain/contracts/notify.contract';
import {
  adminStatusChangedSignal,
  bridgeEventSignal,
  confirmEmailUpdate,
  createBridgeLinkUpdate,
  createKycSessionUpdate,
  onboardingStateQuery,
  registerUpdate,
  resendCodeUpdate,
  veriffEventSignal,
  type BridgeEventSignal,
  type BridgeLinkResult,
  type KycSessionResult,
  type OnboardingInput,
  type RegistrationDetails,
  type RegistrationRefusal,
  type RegisterResult,
  type OnboardingOutcome,
  type OnboardingState,
  type OnboardingStep,
  type VeriffEventSignal,
} from '../domain/contracts/onboarding.contract';
import { SA } from '../domain/search-attributes';
import { ActivityFailures, OnboardingFailures } from '../domain/failures/catalog';
import { reduceVeriffEvent } from '../domain/rules/onboarding/veriff';
import { askForCode, checkCode, codeArrived, codeValidityHours, noCodesYet, refuseConfirm, refuseResend } from '../domain/rules/onboarding/confirmation-code';
import { confirmationDeadlines, kycStepDeadlines, nextWake, stepReminder } from '../domain/rules/onboarding/step-deadlines';
import { changeUserStatusUpdate } from '../domain/contracts/account.contract';
import { USER_STATUSES } from '../domain/vocabulary/users';
import { BRIDGE_REJECTED_STATUSES, reduceBridgeEvent, type BridgeKycState } from '../domain/rules/onboarding/bridge';
import { createAccountWriter, createSerial, serializedUserWrites } from './account-writer';

const fail = OnboardingFailures.create;

/** Thrown out of any wait when the audited admin endpoint closed the onboarding. */
class ClosedByAdmin extends Error {}


/**
 * register → confirm the emailed code → Veriff session and decision → Bridge KYC link + ToS →
 * activation. The workflow owns the user's status transitions; webhooks reach it as signals,
 * user actions as updates (validated, so a wrong code is an error to the caller, not the run).
 */
export async function onboarding(input: OnboardingInput): Promise<{ outcome: OnboardingOutcome }> {
  const { policy, userId } = input;
  const { workflowId, runId, taskQueue } = workflowInfo();
  // Notification ids are derived from the run, so retries and replays never send twice.
  const notificationKey = (step: string) => `${workflowId}.${runId}.${step}`;
  // From the `onboarding-lean-journey` patch on, one marker stands for every earlier patch (each
  // patch asked costs a marker and a TemporalChangeVersion upsert, a visibility write on the server),
  // the user's short `_id` writes after registration run as local activities, and a step change is
  // one search-attribute upsert carrying only what changed. Asked first, in the first activation (a
  // patch first asked after a local activity of the same workflow task does not replay). Runs started
  // before it find no marker here and ask the earlier patches where they always did.
  const lean = patched('onboarding-lean-journey');
  const since = (patch: string) => lean || patched(patch);
  // From this patch on, no confirmation code enters this history nor the notify workflow's (issue
  // 22): a local activity returns only the digest of the code of one email (derived from the
  // email's notification id) and the notifications worker computes the code itself when it sends.
  // Asked in the first activation, like every patch asked before a local activity. Runs started
  // before it issue the code here and send it in the request, as they did.
  const codeAtSend = patched('confirmation-code-at-send');
  // From this patch on, the registration's short steps (create the user, issue a code, start a
  // notification) are local activities: a registration is one or two workflow tasks instead of ~8
  // server tasks (docs/performance.md). Runs started before it replay with activity tasks.
  const localSteps = since('onboarding-local-steps');
  // Only the registration's own code: a later one (reminder, resend) stays an activity task, so a
  // slow one never holds the workflow task open while the user confirms with the first code.
  const registrationSteps = { createOnboardingUser: Infinity, issueConfirmationCode: 1, issueConfirmationDigest: 1 };
  const routedUsers = routeActivities(
    proxyActivities<UserActivities>(activityProfiles.fast),
    localSteps ? proxyLocalActivities<UserActivities>(localActivityProfiles.fast) : undefined,
    // Lean runs: every write of the user is a few `_id` reads and writes, each safe to run again
    // (a local activity re-runs if its workflow task is lost):
    // - markEmailConfirmed sets `emailVerifiedAt` only when it is unset;
    // - recordKycState `$set`s the same fields to the same values (a milestone only when unset) and
    //   inserts the Bridge owner records under deterministic `_id`s, a duplicate key meaning done;
    // - setUserStatus / transitionUserStatus are keyed by the audit id (workflow id + run + key):
    //   the audit insert decides once and `lastTransitionId` stops a second update;
    // - readAccountStanding only reads.
    // They still go one at a time through `serially`, so this run stays the user's one writer.
    // Provider calls (Veriff, Bridge) stay activity tasks on the kyc worker.
    lean
      ? { ...registrationSteps, markEmailConfirmed: Infinity, recordKycState: Infinity, setUserStatus: Infinity, transitionUserStatus: Infinity, readAccountStanding: Infinity }
      : registrationSteps,
  );
  const notifier = localSteps
    ? proxyLocalActivities<NotificationRequestActivities>(localActivityProfiles.notification)
    : proxyActivities<NotificationRequestActivities>(activityProfiles.notification);
  // From the `one-status-writer` patch on, this run's writes of the user go one at a time (status
  // transitions, admin changes and KYC state alike), so the audit trail follows the order applied.
  // Older runs replay with direct calls.
  const serially = createSerial();
  const users = since('one-status-writer') ? serializedUserWrites(routedUsers, serially) : routedUsers;
  // Asked here, in the first activation: asked in finish(), right after a local activity of the
  // same workflow task, its marker does not line up on replay (a nondeterminism error, measured).
  // Runs recorded before local steps existed asked it in finish() and still do.
  const bridgeAfterOnboardingEarly = localSteps ? since('bridge-after-onboarding') : null;
  // Provider calls made while a user waits on an update: bounded, so the request cannot hang.
  const kyc = proxyActivities<KycActivities>({
    ...activityProfiles.provider,
    scheduleToCloseTimeout: '1 minute',
    taskQueue: siblingQueue(taskQueue, 'kycProviders'),
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  // Reminder and abandonment count from the registration itself.
  const startedAt = Date.now();
  const s: OnboardingState = {
    userId,
    tenantId: null,
    step: 'registering',
    outcome: null,
    email: { confirmedAt: null, codeExpiresAt: null, attemptsLeft: policy.codeMaxAttempts, resendsLeft: policy.codeMaxResends },
    veriff: { sessionId: null, url: null, status: null, resubmissions: 0, reason: null, updatedAt: null },
    bridge: { required: null, kycLinkId: null, customerId: null, kycStatus: null, tosStatus: null, rejectionReasons: [], updatedAt: null },
    kycLevel: 'none',
    rejectionReason: null,
    timestamps: { registeredAt: iso(startedAt), confirmedAt: null, kycApprovedAt: null, activatedAt: null, closedAt: null },
    nextReminderAt: null,
  };
  let registration: { ok: true } | { ok: false; reason: RegistrationRefusal } | undefined;
  // The registration whose details the user record holds: a later one for the same unconfirmed
  // address replaces it (replaceRegistration) and restarts the confirmation clock.
  let currentFingerprint = input.requestFingerprint;
  let confirmClock = { fromMs: startedAt, epoch: 0 };
  let replacing: Promise<unknown> = Promise.resolve();
  // The codes sent so far (domain/rules/onboarding/confirmation-code.ts decides what they allow).
  let codes = noCodesYet();
  // Confirmation emails sent by this run (never reset, unlike `codes`): each has its own
  // notification id, so its own code, even after a replacing registration restarts `codes`.
  let codeEmails = 0;
  let creatingSession: Promise<KycSessionResult> | null = null;
  let creatingLink: Promise<BridgeLinkResult> | null = null;
  let adminClose: { status: string; reason: string | null } | null = null;
  const veriffQueue: VeriffEventSignal[] = [];
  const bridgeQueue: BridgeEventSignal[] = [];
  const seenEvents = new Set<string>();
  // Bridge's state with the provider time of each field (domain/rules/onboarding/bridge.ts).
  let bridgeKyc: BridgeKycState = { kycStatus: null, tosStatus: null, rejectionReasons: [], kycAt: 0, tosAt: 0 };
  // One writer of the user's status: the run's own transitions and admin changes (update) go one
  // at a time (`serially`), so whichever is applied second sees the first.
  const accountWriter = createAccountWriter(routedUsers, userId, (key) => `${workflowId}.${runId}.${key}`);
  // Link URLs are handed back to the caller but kept out of the query (they are bearer links).
  const linkUrls = { kycLink: '', tosLink: '' };

  // Each entry into a step counts; deadlines run from the entry, reminders are sent once per entry.
  let stepEntry = 0;
  let stepEnteredAtMs = Date.now();
  let remindedEntry = -1;

  // Lean runs: the KycStatus last upserted, and a decision's KycStatus held for the step it leads to.
  let shownKycStatus: string | null = null;
  let heldKycStatus: string | null = null;

  function setStep(step: OnboardingStep, kycStatus?: string, alsoUpsert: SearchAttributeUpdatePair[] = []) {
    s.step = step;
    stepEntry += 1;
    stepEnteredAtMs = Date.now();
    if (lean) {
      // One upsert per step: the step, when it was entered, and the KYC status only if it changed.
      const kyc = kycStatus ?? heldKycStatus;
      heldKycStatus = null;
      const kycChanged = kyc !== null && kyc !== shownKycStatus;
      if (kyc !== null) shownKycStatus = kyc;
      upsertSearchAttributes([
        { key: SA.OnboardingStep, value: step },
        { key: SA.StepEnteredAt, value: new Date() },
        ...(kycChanged ? [{ key: SA.KycStatus, value: kyc }] : []),
        ...alsoUpsert,
      ]);
      return;
    }
    upsertSearchAttributes([
      { key: SA.OnboardingStep, value: step },
      // Lets operators ask "in this step for 3 days". Patched: runs started before it replay without it.
      ...(patched('step-entered-at') ? [{ key: SA.StepEnteredAt, value: new Date() }] : []),
      ...(kycStatus ? [{ key: SA.KycStatus, value: kycStatus }] : []),
    ]);
  }

  const notify = (step: string, event: NotificationEvent, data: Record<string, string> = {}, channels?: ('email' | 'sms' | 'push')[]) =>
    notifier.requestNotification({ notificationId: notificationKey(step), userId, event, data, channels });

  /** KYC news within a step; lean runs upsert only a change. */
  function showKycStatus(kycStatus: string) {
    if (lean && kycStatus === shownKycStatus) return;
    shownKycStatus = kycStatus;
    upsertSearchAttributes([{ key: SA.KycStatus, value: kycStatus }]);
  }

  async function setStatus(status: UserStatus, key: string, extra: { kycLevel?: KycLevel; reason?: string | null; cause?: 'bridge' } = {}) {
    await serially(async () => {
      // An admin's change applied first wins: the run stops instead of overwriting it.
      if (adminClose && since('one-status-writer')) throw new ClosedByAdmin();
      await routedUsers.setUserStatus({ userId, status, ...extra, auditId: `${workflowId}.${runId}.${key}` });
    });
  }

  /** Waits for `done`; wakes early (and stops the run) if an admin closed the onboarding. */
  async function waitFor(done: () => boolean, timeoutMs?: number): Promise<boolean> {
    const pred = () => done() || adminClose !== null;
    const ok = timeoutMs === undefined ? (await condition(pred), true) : await condition(pred, Math.max(timeoutMs, 1));
    if (adminClose) throw new ClosedByAdmin();
    return ok;
  }

  /**
   * Waits in a KYC step for `done`. From the `kyc-deadlines` patch on, each entry into a step gets a
   * reminder and then an end (policy.kycStep*); a step change restarts the clock. Returns false when
   * the step's time ran out. Runs started before the patch wait without a deadline, as they did.
   */
  async function waitInStep(done: () => boolean, deadlines: boolean): Promise<boolean> {
    const limits = kycStepDeadlines(policy);
    if (!deadlines || !limits) return waitFor(done);
    for (;;) {
      const entry = stepEntry;
      const wake = nextWake(stepEnteredAtMs, limits, remindedEntry === entry);
      s.nextReminderAt = wake.then === 'remind' ? iso(wake.at) : null;
      if (await waitFor(() => done() || stepEntry !== entry, wake.at - Date.now())) {
        if (done()) return true;
        continue;
      }
      if (wake.then === 'end') return false;
      remindedEntry = entry;
      const reminder = stepReminder(s.step, entry);
      await notify(reminder.key, reminder.event, reminder.data);
    }
  }

  async function sendCode(event: 'verification_code' | 'confirm_reminder') {
    const asked = askForCode(codes, Date.now());
    codes = asked.codes;
    if (codeAtSend) {
      const key = `code-email.${++codeEmails}`;
      // The digest of the code this email will carry; the notifications worker computes the code.
      const { digest } = await users.issueConfirmationDigest({ userId, notificationId: notificationKey(key) });
      const arrived = codeArrived(codes, s.email, { n: asked.n, digest }, Date.now(), policy);
      if (arrived) {
        codes = arrived.codes;
        Object.assign(s.email, arrived.email);
      }
      await notify(key, event, { expiresInHours: codeValidityHours(policy) }, ['email']);
      return;
    }
    const { code, digest } = await users.issueConfirmationCode({ userId });
    // Another code may have been asked for meanwhile: the rule keeps the later one in effect.
    const arrived = codeArrived(codes, s.email, { n: asked.n, digest }, Date.now(), policy);
    if (arrived) {
      codes = arrived.codes;
      Object.assign(s.email, arrived.email);
    }
    await notify(`code.${asked.n}`, event, { code, expiresInHours: codeValidityHours(policy) }, ['email']);
  }

  // ---- user actions (updates) -------------------------------------------------------------
  setHandler(registerUpdate, async ({ requestFingerprint }) => {
    await condition(() => registration !== undefined);
    if (!registration!.ok) throw refusal(registration!.reason);
    if (requestFingerprint === currentFingerprint) return registered();
    // Same address, another request. Once its mailbox is proven the address is taken; until then
    // the newer registration replaces this one wholly (docs/onboarding.md, "Registering again").
    // Runs without the marker answered EMAIL_TAKEN here.
    if (s.email.confirmedAt || s.step !== 'awaiting_confirmation' || !patched('unconfirmed-registration-replaced')) {
      throw fail('EMAIL_TAKEN', 'This email is already registered');
    }
    // One replacement at a time, so the code in effect always belongs to the record last written.
    const next = replacing.then(() => replaceRegistration(requestFingerprint));
    replacing = next.catch(() => undefined);
    return next;
  });

  setHandler(
    confirmEmailUpdate,
    async ({ codeDigest: attempt }) => {
      const check = checkCode(s.email, codes, attempt);
      if (!check.ok) {
        s.email.attemptsLeft = check.attemptsLeft;
        throw check.failure;
      }
      const at = iso(Date.now());
      await users.markEmailConfirmed({ userId, at });
      s.email.confirmedAt = at;
      s.timestamps.confirmedAt = at;
      // Read-your-writes: once this update answers, the next call (kyc-session) must find the
      // new step, even if the main flow is still busy (e.g. sending the reminder code).
      if (since('confirm-enters-kyc-step')) enterKycSessionStep();
      return { confirmedAt: at };
    },
    {
      validator: ({ codeDigest: attempt }) => {
        const refusal = refuseConfirm(s.email, codes, s.step, attempt, Date.now());
        if (refusal) throw refusal;
      },
    },
  );

  setHandler(
    resendCodeUpdate,
    async () => {
      s.email.resendsLeft -= 1;
      await sendCode('verification_code');
      return { codeExpiresAt: s.email.codeExpiresAt!, resendsLeft: s.email.resendsLeft };
    },
    {
      validator: () => {
        const refusal = refuseResend(s.email, codes, s.step, Date.now(), policy);
        if (refusal) throw refusal;
      },
    },
  );

  setHandler(
    createKycSessionUpdate,
    async () => {
      // The current session stays valid through resubmissions: hand it out again.
      if (s.veriff.sessionId && s.veriff.url) return { sessionId: s.veriff.sessionId, url: s.veriff.url };
      creatingSession ??= (async () => {
        try {
          const session = await kyc.createVeriffSession({ userId });
          Object.assign(s.veriff, { sessionId: session.sessionId, url: session.url, status: 'created', updatedAt: iso(Date.now()) });
          setStep('awaiting_kyc_submission', 'veriff:created');
          await users.recordKycState({ userId, provider: 'veriff', state: { sessionId: session.sessionId, status: 'created' } });
          return session;
        } finally {
          creatingSession = null;
        }
      })();
      return creatingSession;
    },
    {
      validator: () => {
        if (s.step !== 'awaiting_kyc_session' && s.step !== 'awaiting_kyc_submission') {
          throw fail('WRONG_STEP', `No identity session can be started at step ${s.step}`, { step: s.step });
        }
      },
    },
  );

  setHandler(
    createBridgeLinkUpdate,
    async ({ idempotencyKey }) => {
      const b = s.bridge;
      if (b.kycLinkId) return { kycLinkId: b.kycLinkId, kycLink: linkUrls.kycLink, tosLink: linkUrls.tosLink, customerId: b.customerId! };
      creatingLink ??= (async () => {
        try {
          const link = await kyc.createBridgeKycLink({ userId, idempotencyKey });
          Object.assign(linkUrls, { kycLink: link.kycLink, tosLink: link.tosLink });
          Object.assign(b, { kycLinkId: link.kycLinkId, customerId: link.customerId, kycStatus: 'not_started', tosStatus: 'pending', updatedAt: iso(Date.now()) });
          await users.recordKycState({ userId, provider: 'bridge', state: { kycLinkId: link.kycLinkId, customerId: link.customerId, kycStatus: 'not_started', tosStatus: 'pending' } });
          return link;
        } finally {
          creatingLink = null;
        }
      })();
      return creatingLink;
    },
    {
      validator: ({ idempotencyKey }) => {
        if (s.step !== 'awaiting_bridge_link' && s.step !== 'awaiting_bridge_approval') {
          throw fail('WRONG_STEP', `No Bridge link can be created at step ${s.step}`, { step: s.step });
        }
        if (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0) throw fail('IDEMPOTENCY_KEY_REQUIRED', 'An idempotency key is required');
      },
    },
  );

  // ---- provider events and admin changes (signals) ----------------------------------------
  setHandler(veriffEventSignal, (ev) => {
    veriffQueue.push(ev);
  });
  setHandler(bridgeEventSignal, (ev) => {
    bridgeQueue.push(ev);
  });
  // Runs started before the admin endpoint asked by update still hear about changes by signal.
  setHandler(adminStatusChangedSignal, ({ status, reason }) => {
    if (['active', 'rejected', 'inactive'].includes(status)) adminClose ??= { status, reason };
  });
  // The admin endpoint's change, applied by this run in turn with its own transitions (one writer).
  setHandler(
    changeUserStatusUpdate,
    (req) =>
      serially(async () => {
        const result = await accountWriter.changeStatus(req);
        if (['active', 'rejected', 'inactive'].includes(req.to)) adminClose ??= { status: req.to, reason: req.reason };
        return result;
      }),
    {
      validator: (req) => {
        if (!(USER_STATUSES as readonly string[]).includes(req?.to)) throw ActivityFailures.create('VALIDATION_ERROR', 'Unknown user status');
      },
    },
  );
  setHandler(onboardingStateQuery, () => s);

  function refusal(reason: RegistrationRefusal) {
    if (reason === 'ACCOUNT_REJECTED') return fail('ACCOUNT_REJECTED', 'This account was rejected; registering again does not reopen it');
    return reason === 'EMAIL_TAKEN' ? fail('EMAIL_TAKEN', 'This email is already registered') : fail('ORG_NOT_FOUND', 'Organization not found');
  }

  const registered = (): RegisterResult => ({ userId, tenantId: s.tenantId, status: 'not_verified' as const });

  /**
   * A newer registration of this still unconfirmed address: the codes sent so far stop working at
   * once (whoever asked for them never proved the mailbox), the record takes the new details (the
   * activity re-checks, on the locked record, that nobody confirmed meanwhile), a new code goes out
   * and the confirmation's reminder and end count from now.
   */
  async function replaceRegistration(requestFingerprint: string): Promise<RegisterResult> {
    if (requestFingerprint === currentFingerprint) return registered();
    if (s.email.confirmedAt || s.step !== 'awaiting_confirmation') throw fail('EMAIL_TAKEN', 'This email is already registered');
    codes = noCodesYet();
    Object.assign(s.email, { codeExpiresAt: null, attemptsLeft: policy.codeMaxAttempts, resendsLeft: policy.codeMaxResends });
    const replaced = await serially(() => users.createOnboardingUser({ userId, requestFingerprint }));
    if (!replaced.ok) throw refusal(replaced.reason);
    currentFingerprint = requestFingerprint;
    s.tenantId = replaced.tenantId;
    s.bridge.required = replaced.bridgeRequired;
    s.timestamps.registeredAt = iso(Date.now());
    confirmClock = { fromMs: Date.now(), epoch: confirmClock.epoch + 1 };
    await sendCode('verification_code');
    return registered();
  }

  async function finish(outcome: OnboardingOutcome, step: OnboardingStep) {
    s.outcome = outcome;
    s.nextReminderAt = null;
    s.timestamps.closedAt = iso(Date.now());
    setStep(step);
    if (bridgeAfterOnboardingEarly ?? since('bridge-after-onboarding')) {
      // Bridge news that reached this run after its Bridge step (e.g. `offboarded` right after
      // activation) still changes the account; checked again after the last handler, so nothing
      // signalled before the run ends is dropped. Later news goes to the account workflow.
      for (;;) {
        while (bridgeQueue.length > 0) {
          const ev = bridgeQueue.shift()!;
          if (seenEvents.has(ev.eventId)) continue;
          seenEvents.add(ev.eventId);
          await serially(() => accountWriter.applyBridgeEvent(ev));
        }
        await condition(allHandlersFinished);
        if (bridgeQueue.length === 0) break;
      }
      return { outcome };
    }
    await condition(allHandlersFinished);
    return { outcome };
  }

  // ---- 1. the user record, created by the workflow itself ----------------------------------
  // The details (and the password hash) come from the pending registration the API stored, never
  // through this workflow's history; only runs started before that change carry them in the input.
  const created = input.reopened
    ? await users.reopenOnboardingUser({ userId })
    : await users.createOnboardingUser(
        input.passwordHash !== undefined
          ? { userId, registration: input as OnboardingInput & RegistrationDetails }
          : { userId, requestFingerprint: input.requestFingerprint },
      );
  if (!created.ok) {
    registration = { ok: false, reason: created.reason };
    return finish('registration_failed', 'registration_failed');
  }
  registration = { ok: true };
  s.tenantId = created.tenantId;
  s.bridge.required = created.bridgeRequired;
  const tenant = { key: SA.TenantId, value: created.tenantId ?? 'none' };
  // Lean runs upsert the tenant with the first step, in one event.
  if (!lean) upsertSearchAttributes([tenant]);

  try {
    // ---- 2. email confirmation: code, reminder with a fresh code, abandonment -------------
    // A reopened account (input.reopened) proved its mailbox long ago: straight to a new identity
    // verification, with a fresh Veriff resubmission allowance.
    const reopenedAt = input.reopened && created.confirmedAt ? created.confirmedAt : null;
    if (reopenedAt) {
      s.email.confirmedAt = reopenedAt;
      s.timestamps.confirmedAt = reopenedAt;
      setStep('awaiting_kyc_session', 'veriff:none', [tenant]);
    } else {
      setStep('awaiting_confirmation', 'none', [tenant]);
    }
    const confirmBy = confirmationDeadlines(policy);
    s.nextReminderAt = reopenedAt ? null : iso(nextWake(confirmClock.fromMs, confirmBy, false).at);
    if (!reopenedAt) await sendCode('verification_code');
    const confirmed = () => s.email.confirmedAt !== null;
    // A reminder with a fresh code, then the end. A replacing registration sent its own code and
    // restarts the clock (a new epoch); without one, the waits are the two they always were.
    let reminded = false;
    for (let epoch = confirmClock.epoch; !confirmed(); ) {
      const wake = nextWake(confirmClock.fromMs, confirmBy, reminded);
      s.nextReminderAt = reminded ? null : iso(wake.at);
      await waitFor(() => confirmed() || confirmClock.epoch !== epoch, wake.at - Date.now());
      if (confirmed()) break;
      if (confirmClock.epoch !== epoch) {
        epoch = confirmClock.epoch;
        reminded = false;
        continue;
      }
      if (reminded) return await finish('abandoned', 'abandoned');
      reminded = true;
      s.nextReminderAt = null;
      await sendCode('confirm_reminder');
    }
    if (s.step === 'awaiting_confirmation') enterKycSessionStep();
    const deadlines = since('kyc-deadlines');

    // ---- 3. Veriff: sessions on request, events until a final decision --------------------
    let decision: 'approved' | 'declined' | null = null;
    while (!decision) {
      if (!(await waitInStep(() => veriffQueue.length > 0 && creatingSession === null, deadlines))) return await finish('abandoned', 'abandoned');
      decision = await applyVeriffEvent(veriffQueue.shift()!);
    }
    if (decision === 'declined') return await reject(s.veriff.reason ?? 'Identity verification declined', 'kyc-declined');
    s.timestamps.kycApprovedAt = iso(Date.now());
    s.kycLevel = 'basic';

    // ---- 4. Bridge: link on request, KYC + ToS approval (unless switched off) ------------
    if (s.bridge.required) {
      setStep('awaiting_bridge_link', 'bridge:none');
      if (!(await waitInStep(() => s.bridge.kycLinkId !== null, deadlines))) return await finish('abandoned', 'abandoned');
      setStep('awaiting_bridge_approval', 'bridge:not_started');
      for (;;) {
        if (!(await waitInStep(() => bridgeQueue.length > 0, deadlines))) return await finish('abandoned', 'abandoned');
        const ev = bridgeQueue.shift()!;
        if (seenEvents.has(ev.eventId)) continue;
        seenEvents.add(ev.eventId);
        applyBridgeEvent(ev);
        // The event times go with the state, so the account workflow knows what is already applied.
        await users.recordKycState({ userId, provider: 'bridge', state: { ...bridgeKyc } });
        if (BRIDGE_REJECTED_STATUSES.includes(s.bridge.kycStatus ?? '')) {
          return await reject(`Bridge KYC ${s.bridge.kycStatus}`, 'bridge-rejected', 'bridge');
        }
        if (s.bridge.kycStatus === 'approved' && s.bridge.tosStatus === 'approved') break;
      }
      s.kycLevel = 'advanced';
    }

    // ---- 5. activation --------------------------------------------------------------------
    await setStatus('active', 'activated', { kycLevel: s.kycLevel, reason: 'onboarding completed' });
    // An admin's change applied right after the activation: no "activated" message, the run closes.
    if (adminClose && since('one-status-writer')) throw new ClosedByAdmin();
    s.timestamps.activatedAt = iso(Date.now());
    await notify('activated', 'account_activated', { kycLevel: s.kycLevel }, ['email', 'sms', 'push']);
    return await finish('active', 'active');
  } catch (err) {
    if (!(err instanceof ClosedByAdmin)) throw err;
    // The admin endpoint already wrote the status and its audit event; the run just ends.
    const close = adminClose!;
    return finish(close.status === 'active' ? 'active' : 'closed_by_admin', close.status === 'active' ? 'active' : 'closed_by_admin');
  }

  function enterKycSessionStep() {
    s.nextReminderAt = null;
    setStep('awaiting_kyc_session', 'veriff:none');
  }

  async function reject(reason: string, key: string, cause?: 'bridge') {
    s.rejectionReason = reason;
    await setStatus('rejected', key, { reason, ...(cause ? { cause } : {}) });
    await notify(key, 'kyc_declined', {}, ['email']);
    return finish('rejected', 'rejected');
  }

  /**
   * One Veriff event: the rules (domain/rules/onboarding/veriff.ts) decide, this carries out their
   * effects in their order. Redeliveries and news about an old session change nothing.
   */
  async function applyVeriffEvent(ev: VeriffEventSignal): Promise<'approved' | 'declined' | null> {
    const seen = seenEvents.has(ev.eventKey);
    const r = reduceVeriffEvent(s.veriff, ev, { step: s.step, seen, now: iso(Date.now()), maxResubmissions: policy.veriffMaxResubmissions });
    if (r.ignored) return null;
    seenEvents.add(ev.eventKey);
    Object.assign(s.veriff, r.veriff);
    for (const e of r.effects) {
      if (e.kind === 'setStatus') await setStatus(e.status, e.key, { reason: e.reason });
      else if (e.kind === 'recordKycState') await users.recordKycState({ userId, provider: 'veriff', state: e.state });
      else if (e.kind === 'setStep') setStep(e.step, e.kycStatus);
      // A decision always leads to a step change (Bridge link, activation, rejection): lean runs
      // upsert its KycStatus with that step instead of on its own.
      else if (e.kind === 'kycStatus') {
        if (lean) heldKycStatus = e.kycStatus;
        else upsertSearchAttributes([{ key: SA.KycStatus, value: e.kycStatus }]);
      }
      else await notify(e.key, e.event, e.data);
    }
    return r.decision;
  }

  /** Newer provider news wins per field, so shuffled deliveries settle on the same state. */
  function applyBridgeEvent(ev: BridgeEventSignal) {
    const b = s.bridge;
    // Seeded from the link's initial state, so an event without a field keeps what is shown.
    bridgeKyc = reduceBridgeEvent({ ...bridgeKyc, kycStatus: b.kycStatus, tosStatus: b.tosStatus, rejectionReasons: b.rejectionReasons }, ev).state;
    Object.assign(b, { kycStatus: bridgeKyc.kycStatus, tosStatus: bridgeKyc.tosStatus, rejectionReasons: bridgeKyc.rejectionReasons });
    b.updatedAt = iso(Date.now());
    showKycStatus(`bridge:${b.kycStatus}`);
  }
}
