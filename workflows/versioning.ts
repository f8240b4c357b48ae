import type { VersioningBehavior } from '@temporalio/common';

import { account } from './account';
import { analyticsRoller } from './analytics-roller';
import { caseSweep } from './case-sweep';
import { notify } from './notify';
import { notifyBatch } from './notify-batch';
import { onboarding } from './onboarding';
import { partnerKyc } from './partner-kyc';
import { pipelineProbe } from './pipeline-probe';
import { transactionHold } from './transaction-hold';
import { verificationRequest } from './verification-request';
import { verificationSweep } from './verification-sweep';
import { declareVersioningBehavior } from './versioning-behavior';

/**
 * How each workflow moves between Worker Deployment Versions (docs/architecture.md, "Versioning").
 * - PINNED: a run finishes on the code it started on; the new code never replays it, so a change
 *   needs no `patched()`, and the old version's workers stay up until its pinned runs are done.
 *   Onboarding: it lives for days and its shape changes most.
 * - AUTO_UPGRADE: a run moves to the current version at its next workflow task, so a fix reaches
 *   runs in flight and old versions drain as soon as their pinned runs do; a change that alters the
 *   commands a run already recorded still ships behind `patched()` with a replay test.
 * Every export of the bundle (workflows/index.ts) has one: test/unit/worker-versioning.test.ts assigns this
 * to a `Record` over those exports, so a new workflow does not typecheck until it has a behaviour (checked
 * there rather than by importing index.ts here, which imports this file).
 */
export const VERSIONING_BEHAVIORS = {
  onboarding: 'PINNED',
  pipelineProbe: 'AUTO_UPGRADE',
  verificationRequest: 'AUTO_UPGRADE',
  verificationSweep: 'AUTO_UPGRADE',
  notify: 'AUTO_UPGRADE',
  // Passes of at most 200 pages through continue-as-new; a page's messages are idempotent in the ledger.
  notifyBatch: 'AUTO_UPGRADE',
  analyticsRoller: 'AUTO_UPGRADE',
  partnerKyc: 'AUTO_UPGRADE',
  transactionHold: 'AUTO_UPGRADE',
  account: 'AUTO_UPGRADE',
  // Runs for ever through continue-as-new; each pass is short, so it follows the current version.
  caseSweep: 'AUTO_UPGRADE',
} as const satisfies Record<string, VersioningBehavior>;

type HostedWorkflow = keyof typeof VERSIONING_BEHAVIORS;

const workflows: Record<HostedWorkflow, (...args: never[]) => Promise<unknown>> = {
  onboarding,
  pipelineProbe,
  verificationRequest,
  verificationSweep,
  notify,
  notifyBatch,
  analyticsRoller,
  partnerKyc,
  transactionHold,
  account,
  caseSweep,
};
for (const [name, fn] of Object.entries(workflows))
  declareVersioningBehavior(VERSIONING_BEHAVIORS[name as HostedWorkflow], fn);
