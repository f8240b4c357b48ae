import { createHash } from 'node:crypto';

import type { SourceContext } from '../../adapters/cases/case-source';
import { claimCase, refreshCase, releaseCase } from '../../adapters/cases/case-store';
import { type CaseSourceConfig, caseSourceContext } from '../../adapters/cases/source-context';
import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { actionsFor, type CaseAction, type CaseKind } from '../../domain/contracts/cases.contract';
import { assertCanAct, assertCanRead, type CaseViewer } from './case-access';
import { type ActionDeps, type ActionOutcome, runAction } from './case-actions';
import { CaseCommandError } from './case-errors';
import { type CaseView, caseView, type CaseViewConfig } from './case-view';
import { type FourEyesStep, fourEyesStep } from './four-eyes';
import { findCase } from './show-case';

export interface ActOnCaseInput {
  caseId: string;
  action: CaseAction | 'dismiss';
  reason: string | null;
  /** `extend`: the new due date (ISO). */
  dueAt?: string;
  /** `extend_deadline`: hours to add to the onboarding wait's end (1..336). */
  hours?: number;
  /** The case version the operator saw; a case that changed since is refused (optional). */
  expectedVersion?: number;
  /** The caller's key: the same key again is the same command (one effect, the first answer). */
  idempotencyKey: string;
  requestId: string | null;
}

export interface ActOnCaseResult {
  action: string;
  outcome: ActionOutcome;
  case: CaseView;
  /** True when this answer is the stored one of an earlier command with the same key. */
  replayed: boolean;
  /** Four eyes: this approve was recorded and waits for a second compliance officer. */
  awaitingSecondOfficer?: boolean;
}

export type ActOnCaseDeps = ActionDeps & {
  models: Models;
  config: CaseViewConfig & CaseSourceConfig;
  now?: () => Date;
};

/**
 * How long one action holds its case: longer than any action takes (an update answers in seconds,
 * cancel waits 15 s), so only a claim whose API died mid-action is ever taken over.
 */
const CLAIM_LEASE_MS = 5 * 60_000;

const NEEDS_REASON: ActOnCaseInput['action'][] = [
  'reject',
  'cancel',
  'dismiss',
  'extend',
  'extend_deadline',
  'move_to_manual_review',
];

/**
 * One operator action on a case (docs/operations.md), the same for the API, the CLI and the page:
 * authorise → replay a repeated key → re-read the subject (a case that moved on is a 409 with its
 * current state) → claim the key → act through the owning workflow → audit (who, what, why, request
 * id) → write the case as the subject now is. A failed action gives its key back.
 */
export async function actOnCase(
  deps: ActOnCaseDeps,
  viewer: CaseViewer,
  input: ActOnCaseInput,
): Promise<ActOnCaseResult> {
  const now = () => deps.now?.() ?? new Date();
  const sourceCtx = () => caseSourceContext(deps.config, now(), deps.temporal);
  assertCanRead(viewer);
  let c = await findCase(deps.models, input.caseId);
  assertCanAct(viewer, c, input.action);

  const fingerprint = createHash('sha256')
    .update(JSON.stringify([input.action, input.reason, input.dueAt ?? null, ...(input.hours ? [input.hours] : [])]))
    .digest('hex');
  const claimId = `${c._id}:${input.idempotencyKey}`;
  const prior = await deps.models.CaseAction.findById(claimId).lean();
  if (prior) return replay(prior, fingerprint);

  if (!actionsFor(c.kind as CaseKind).includes(input.action)) {
    throw new CaseCommandError(
      422,
      'ACTION_NOT_ALLOWED',
      `A ${c.kind} case offers: ${actionsFor(c.kind as CaseKind).join(', ') || 'no actions'}`,
    );
  }
  if (NEEDS_REASON.includes(input.action) && !input.reason)
    throw new CaseCommandError(400, 'REASON_REQUIRED', `A reason is required to ${input.action}`);
  if (input.action === 'extend' && !input.dueAt)
    throw new CaseCommandError(400, 'VALIDATION_ERROR', 'extend needs dueAt');
  if (input.action === 'extend_deadline' && !input.hours)
    throw new CaseCommandError(400, 'VALIDATION_ERROR', 'extend_deadline needs hours');

  // The subject as it is now, not as the last sweep saw it: someone else may have acted already.
  c = (await refreshCase(deps.models, c._id, sourceCtx(), 'resolved')) ?? c;
  const movedOn = (why: string) =>
    new CaseCommandError(409, 'CASE_MOVED_ON', why, { case: caseView(deps.config, c, now()) });
  if (!c.open) throw movedOn('The case is closed: its subject has moved on');
  if (input.expectedVersion !== undefined && input.expectedVersion !== c.version)
    throw movedOn('The case changed since you read it');

  // From here the action acts: a sweep that closes the case meanwhile does so because of it.
  const actedSince = now();
  try {
    await deps.models.CaseAction.create({
      _id: claimId,
      caseId: c._id,
      action: input.action,
      actor: viewer.userId,
      reason: input.reason,
      requestId: input.requestId,
      fingerprint,
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    // The same command raced itself: the first one acts, this one answers like a repeat.
    return replay((await deps.models.CaseAction.findById(claimId).lean())!, fingerprint);
  }

  // One action per case at a time, whatever the key: a compare-and-set on the version read above.
  // The loser gives its key back (it did nothing) and sees the case as it is now.
  if (!(await claimCase(deps.models, c._id, c.version, claimId, actedSince, CLAIM_LEASE_MS))) {
    await deps.models.CaseAction.deleteOne({ _id: claimId, state: 'running' });
    const current = await findCase(deps.models, c._id);
    throw new CaseCommandError(
      409,
      current.open && current.claim ? 'CASE_CLAIMED' : 'CASE_MOVED_ON',
      current.open && current.claim
        ? 'Another action on this case is being carried out'
        : 'The case changed while you acted: see its current state',
      { case: caseView(deps.config, current, now()) },
    );
  }
  c = { ...c, version: c.version + 1 };
  try {
    return await actClaimed(deps, viewer, input, c, { claimId, actedSince, sourceCtx, now });
  } finally {
    await releaseCase(deps.models, c._id, claimId);
  }
}

/** The action itself, once its case is claimed: act, audit, write the case as the subject now is. */
async function actClaimed(
  deps: ActOnCaseDeps,
  viewer: CaseViewer,
  input: ActOnCaseInput,
  c: CaseDoc,
  run: {
    claimId: string;
    actedSince: Date;
    sourceCtx: () => SourceContext;
    now: () => Date;
  },
): Promise<ActOnCaseResult> {
  const { claimId, actedSince, sourceCtx, now } = run;
  let outcome: ActionOutcome;
  let fourEyes: FourEyesStep;
  try {
    fourEyes = await fourEyesStep(deps.models, viewer, c, input.action);
    if (fourEyes.step === 'request') return await requestSecondOfficer(deps, viewer, input, c, run);
    outcome =
      input.action === 'dismiss'
        ? { dismissed: true }
        : await runAction(deps, c, {
            action: input.action,
            actor: viewer.userId,
            reason: input.reason,
            requestId: input.requestId,
            dueAt: input.dueAt,
            hours: input.hours,
          });
  } catch (err) {
    await deps.models.CaseAction.deleteOne({ _id: claimId, state: 'running' });
    throw err;
  }

  await deps.models.AuditEvent.create({
    _id: `case-action:${claimId}`,
    actor: viewer.userId,
    subject: c._id,
    tenantId: c.tenantId ?? null,
    action: `case.${input.action}`,
    from: { kind: c.kind, version: c.version, subjectId: c.subjectId },
    to: fourEyes.step === 'confirm' ? { ...outcome, requestedBy: fourEyes.requestedBy } : outcome,
    reason: input.reason,
    requestId: input.requestId,
  }).catch((err: unknown) => {
    if (!isDuplicateKeyError(err)) throw err;
  });
  if (fourEyes.step === 'confirm')
    await deps.models.Case.updateOne({ _id: c._id, claim: claimId }, { $set: { pendingApproval: null } });

  const after =
    input.action === 'dismiss'
      ? await dismiss(deps, c, now())
      : await refreshCase(deps.models, c._id, sourceCtx(), `action:${input.action}`, actedSince);
  const result: ActOnCaseResult = {
    action: input.action,
    outcome,
    case: caseView(deps.config, after ?? c, now()),
    replayed: false,
  };
  await deps.models.CaseAction.updateOne({ _id: claimId }, { $set: { state: 'done', result } });
  return result;
}

/**
 * Four eyes, first officer: the approve is recorded on the case (pendingApproval) and audited as
 * `case.approve_requested`; nothing changes for the person until another officer approves too.
 */
async function requestSecondOfficer(
  deps: ActOnCaseDeps,
  viewer: CaseViewer,
  input: ActOnCaseInput,
  c: CaseDoc,
  run: { claimId: string; now: () => Date },
): Promise<ActOnCaseResult> {
  const at = run.now();
  const pendingApproval = { actor: viewer.userId, reason: input.reason, requestId: input.requestId, at };
  await deps.models.Case.updateOne({ _id: c._id, claim: run.claimId }, { $set: { pendingApproval } });
  await deps.models.AuditEvent.create({
    _id: `case-action:${run.claimId}`,
    actor: viewer.userId,
    subject: c._id,
    tenantId: c.tenantId ?? null,
    action: 'case.approve_requested',
    from: { kind: c.kind, version: c.version, subjectId: c.subjectId },
    to: { awaitingSecondOfficer: true },
    reason: input.reason,
    requestId: input.requestId,
  }).catch((err: unknown) => {
    if (!isDuplicateKeyError(err)) throw err;
  });
  const result: ActOnCaseResult = {
    action: input.action,
    outcome: { awaitingSecondOfficer: true },
    case: caseView(deps.config, { ...c, pendingApproval }, at),
    replayed: false,
    awaitingSecondOfficer: true,
  };
  await deps.models.CaseAction.updateOne({ _id: run.claimId }, { $set: { state: 'done', result } });
  return result;
}

function replay(prior: { fingerprint: string; state: string; result?: unknown }, fingerprint: string): ActOnCaseResult {
  if (prior.fingerprint !== fingerprint) {
    throw new CaseCommandError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was used for another command on this case',
    );
  }
  if (prior.state !== 'done')
    throw new CaseCommandError(409, 'ACTION_IN_PROGRESS', 'The same command is being carried out; repeat it shortly');
  return { ...(prior.result as ActOnCaseResult), replayed: true };
}

/** A case with no owning workflow action: closed on the case record only; the subject is untouched. */
async function dismiss(deps: Pick<ActOnCaseDeps, 'models'>, c: CaseDoc, at: Date): Promise<CaseDoc | null> {
  await deps.models.Case.updateOne(
    { _id: c._id, open: true },
    { $set: { open: false, closedAt: at, resolution: 'dismissed', checkedAt: at }, $inc: { version: 1 } },
  );
  return (await deps.models.Case.findById(c._id).lean()) as CaseDoc | null;
}
