import type { Client, WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';

import { ONBOARDING_WORKFLOW, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { STEP_REMINDERS } from '../../domain/rules/onboarding/step-deadlines';
import { SA } from '../../domain/search-attributes';
import { taskQueues } from '../../domain/task-queues';
import type { Config } from '../config';
import type { CaseObservation, SourceContext, VisibilityCaseSource } from './case-source';

/** Runs read per pass (visibility pages of 100); more wait for the next pass, oldest first is not promised. */
const SCAN_LIMIT = 1000;
const CONFIRMATION = 'awaiting_confirmation';
/** The KYC waits with a reminder (and an end): the steps an operator can nudge, extend or abandon. */
const KYC_WAITS = Object.keys(STEP_REMINDERS);

type Limits = NonNullable<SourceContext['onboardingOverdue']>;

/**
 * How long each wait may last before it is overdue: its reminder time (CONFIRM_REMINDER_AFTER_HOURS,
 * KYC_STEP_REMINDER_AFTER_HOURS: the user was nudged once and still has not moved), or
 * CASE_ONBOARDING_OVERDUE_SECONDS for every wait when set (sooner, e.g. a tenant that wants to call
 * people; tests). Read from today's config: a run keeps the policy it started with, so after a
 * change of these settings a case may open a little before or after that run's own reminder.
 */
export function onboardingOverdueLimits(
  config: Pick<
    Config,
    | 'CONFIRM_REMINDER_AFTER_HOURS'
    | 'KYC_STEP_REMINDER_AFTER_HOURS'
    | 'CASE_ONBOARDING_OVERDUE_SECONDS'
    | 'TASK_QUEUE_PREFIX'
  >,
): Limits {
  const override = config.CASE_ONBOARDING_OVERDUE_SECONDS;
  const taskQueue = taskQueues(config.TASK_QUEUE_PREFIX).onboarding;
  return override
    ? { taskQueue, confirmationAfterMs: override * 1000, kycStepAfterMs: override * 1000 }
    : {
        taskQueue,
        confirmationAfterMs: config.CONFIRM_REMINDER_AFTER_HOURS * 3_600_000,
        kycStepAfterMs: config.KYC_STEP_REMINDER_AFTER_HOURS * 3_600_000,
      };
}

const duration = (ms: number) => (ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 1000)} s`);

const limitFor = (limits: Limits, step: string) =>
  step === CONFIRMATION ? limits.confirmationAfterMs : KYC_WAITS.includes(step) ? limits.kycStepAfterMs : null;

const quoted = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ');

/**
 * The visibility query: running onboardings of this deployment (its task queue) in a wait, entered
 * longer ago than that wait's limit. `OnboardingStep` and `StepEnteredAt` are the run's own search
 * attributes, upserted with every step change (workflows/onboarding/state.ts).
 */
export function overdueOnboardingQuery(now: Date, limits: Limits): string {
  const before = (ms: number) => `'${new Date(now.getTime() - ms).toISOString()}'`;
  return (
    `WorkflowType = '${ONBOARDING_WORKFLOW}' AND ExecutionStatus = 'Running' AND TaskQueue = '${limits.taskQueue}' AND (` +
    `(OnboardingStep = '${CONFIRMATION}' AND StepEnteredAt < ${before(limits.confirmationAfterMs)}) OR ` +
    `(OnboardingStep IN (${quoted(KYC_WAITS)}) AND StepEnteredAt < ${before(limits.kycStepAfterMs)}))`
  );
}

const USER_OF = /^onboarding-(.+)$/;

/** A run read from visibility (list) or described: a case when it still waits past its limit. */
function observe(
  wf: Pick<WorkflowExecutionInfo | WorkflowExecutionDescription, 'workflowId' | 'status' | 'typedSearchAttributes'>,
  ctx: SourceContext,
  limits: Limits,
): CaseObservation | null {
  const userId = USER_OF.exec(wf.workflowId)?.[1];
  const step = wf.typedSearchAttributes.get(SA.OnboardingStep);
  const since = wf.typedSearchAttributes.get(SA.StepEnteredAt);
  if (!userId || wf.status.name !== 'RUNNING' || !step || !since) return null;
  const limit = limitFor(limits, step);
  if (limit === null || since.getTime() >= ctx.now.getTime() - limit) return null;
  const tenant = wf.typedSearchAttributes.get(SA.TenantId);
  return {
    kind: 'onboarding_overdue',
    subjectType: 'user',
    subjectId: userId,
    tenantId: tenant && tenant !== 'none' ? tenant : null,
    ownerUserId: userId,
    workflowId: wf.workflowId,
    why: {
      step,
      since,
      lastProviderEvent: wf.typedSearchAttributes.get(SA.KycStatus) ?? null,
      attempts: null,
      detail: `waiting in ${step} longer than ${duration(limit)}`,
    },
  };
}

/**
 * Onboardings waiting in one step past its reminder (docs/operations.md). Found in Temporal's
 * visibility store, not the users collection: the step and since-when live only on the run (the
 * user record has no step fields), visibility is durable and indexed, and a step change shows there
 * with the run's own upsert, so a case closes as soon as the user moves on.
 */
export const ONBOARDING_OVERDUE_SOURCE: VisibilityCaseSource = {
  kind: 'onboarding_overdue',
  async scan(temporal, ctx) {
    if (!ctx.onboardingOverdue) return [];
    const query = overdueOnboardingQuery(ctx.now, ctx.onboardingOverdue);
    const found: CaseObservation[] = [];
    for await (const wf of temporal.workflow.list({ query, pageSize: 100 })) {
      const obs = observe(wf, ctx, ctx.onboardingOverdue);
      if (obs) found.push(obs);
      if (found.length >= SCAN_LIMIT) break;
    }
    return found;
  },
  async recheck(temporal: Client, subjectIds, ctx) {
    const limits = ctx.onboardingOverdue;
    if (!limits) throw new Error('Re-checking onboarding_overdue cases needs the overdue limits');
    const read = async (userId: string) => {
      try {
        return observe(await temporal.workflow.getHandle(onboardingWorkflowId(userId)).describe(), ctx, limits);
      } catch (err) {
        if ((err as { name?: string }).name === 'WorkflowNotFoundError') return null;
        throw err;
      }
    };
    return (await Promise.all(subjectIds.map(read))).filter((o): o is CaseObservation => o !== null);
  },
};
