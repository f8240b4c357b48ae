import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import { caseSettingsOf } from '../../adapters/models/organization';
import type { CaseViewer } from './case-access';
import { CaseCommandError } from './case-errors';

/**
 * A reversal of a rejection: an `approve` of a case whose person was turned down, that is whose
 * status is `rejected` now, or whose Veriff decision on record is `declined`. Approving them undoes
 * a "no" someone (or the provider) gave; a tenant may require a second compliance officer for it.
 * An approve of a person never turned down (a first Veriff review) is not a reversal.
 */
export async function isReversal(models: Pick<Models, 'User'>, c: Pick<CaseDoc, 'ownerUserId'>): Promise<boolean> {
  if (!c.ownerUserId) return false;
  const u = await models.User.findById(c.ownerUserId, { status: 1, 'kyc.veriff.status': 1 }).lean();
  return u?.status === 'rejected' || u?.kyc?.veriff?.status === 'declined';
}

export type FourEyesStep =
  /** No second officer needed: act now. */
  | { step: 'act' }
  /** The first officer's approve: record it and wait for a second one. */
  | { step: 'request' }
  /** A second officer confirms the pending approve: act now, naming both. */
  | { step: 'confirm'; requestedBy: string };

/**
 * Where an approve stands under the tenant's four-eyes rule (docs/operations.md). The same officer
 * confirming their own request is refused (403 SECOND_OFFICER_REQUIRED).
 */
export async function fourEyesStep(
  models: Pick<Models, 'User' | 'Organization'>,
  viewer: CaseViewer,
  c: Pick<CaseDoc, 'tenantId' | 'ownerUserId' | 'pendingApproval'> & { kind?: string },
  action: string,
): Promise<FourEyesStep> {
  // Four eyes guards a person's rejection being reversed; releasing a held transaction is not one.
  if (action !== 'approve' || !c.tenantId || c.kind === 'transaction_hold_expiring') return { step: 'act' };
  const org = await models.Organization.findById(c.tenantId, { settings: 1 }).lean();
  // Approving a partner KYC check the provider rejected overrides that rejection: always a reversal.
  const reversal = c.kind === 'partner_kyc_rejected' || (await isReversal(models, c));
  if (!caseSettingsOf(org).fourEyesReversals || !reversal) return { step: 'act' };
  const pending = c.pendingApproval;
  if (!pending) return { step: 'request' };
  if (pending.actor === viewer.userId)
    throw new CaseCommandError(
      403,
      'SECOND_OFFICER_REQUIRED',
      'You asked for this approval: another compliance officer of the tenant must confirm it',
    );
  return { step: 'confirm', requestedBy: pending.actor };
}
