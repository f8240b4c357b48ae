import type { Client } from '@temporalio/client';
import type { Model } from 'mongoose';

import type { CaseKind } from '../../domain/contracts/cases.contract';
import type { Models } from '../models';
import type { CaseDoc } from '../models/case';

// The shape of a case source, apart from the list of sources (case-sources.ts), so the files that
// hold groups of sources (onboarding-sources.ts, transaction-sources.ts) and the list do not import
// each other.

/** What a source says about one subject that needs a person right now. */
export interface CaseObservation {
  kind: CaseKind;
  subjectType: CaseDoc['subjectType'];
  subjectId: string;
  tenantId: string | null;
  ownerUserId: string | null;
  workflowId: string | null;
  why: {
    step: string | null;
    since: Date | null;
    lastProviderEvent: string | null;
    attempts: number | null;
    detail: string | null;
  };
}

export interface SourceContext {
  now: Date;
  stuckAfterMinutes: number;
  webhookPendingMinutes: number;
  /** PARTNER_KYC_HOLD_HOURS: a hold's deadline is its transaction's recordedAt plus this. */
  holdHours: number;
  /** CASE_HOLD_EXPIRING_HOURS: a hold this close to its deadline is a case. */
  holdExpiringHours: number;
  /**
   * Temporal, for the kinds found in its visibility store (VisibilityCaseSource). A pass without it
   * leaves those kinds' cases as they are (neither opened nor resolved).
   */
  temporal?: Client;
  /**
   * This deployment's task queues (TASK_QUEUE_PREFIX): workflow_task_failing reads only runs on them,
   * so deployments (or parallel test files) sharing a namespace each see their own. Absent: every run.
   */
  taskQueues?: string[];
  /** onboarding_overdue: how long each wait may last before it is overdue (adapters/cases/onboarding-overdue-source.ts). */
  onboardingOverdue?: { taskQueue: string; confirmationAfterMs: number; kycStepAfterMs: number };
  /** CASE_PARTNER_KYC_PENDING_MINUTES: a partner-KYC check pending this long is a case. */
  partnerKycPendingMinutes: number;
}

/**
 * One case kind: the filter that finds its subjects (an indexed query on the source collection) and
 * how a found document reads as a case. The sweep scans with the filter; an action re-checks one
 * subject with the same filter plus its `_id`, so "is it still stuck?" has one definition.
 */
export interface CaseSource {
  kind: CaseKind;
  model: (m: Models) => Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  filter: (ctx: SourceContext) => Record<string, unknown>;
  projection: Record<string, 1>;
  observe: (doc: any, ctx: SourceContext) => CaseObservation; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A kind whose subjects are workflow runs, found by a visibility query on Temporal (its durable
 * store of running workflows and their search attributes) instead of the database: `scan` lists
 * what the query finds, `recheck` re-reads given subjects one by one (a describe each), so the
 * sweep and an action's "is it still stuck?" use one definition.
 */
export interface VisibilityCaseSource {
  kind: CaseKind;
  scan: (temporal: Client, ctx: SourceContext) => Promise<CaseObservation[]>;
  recheck: (temporal: Client, subjectIds: string[], ctx: SourceContext) => Promise<CaseObservation[]>;
}
