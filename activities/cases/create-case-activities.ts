import { Context } from '@temporalio/activity';

import { sweepCases } from '../../adapters/cases/case-store';
import { type CaseSourceConfig, caseSourceContext } from '../../adapters/cases/source-context';
import type { Models } from '../../adapters/models';
import type { CaseSweepPassResult } from '../../domain/contracts/cases.contract';
import { createPartnerKycCaseActivities } from './partner-kyc-case-activities';

/** The case sweep's one step (workflows/case-sweep.ts), and what case actions have runs do (partner KYC). */
export function createCaseActivities({ models, config }: { models: Models; config: CaseSourceConfig }) {
  return {
    /** One pass over every case source: open what is stuck, resolve what cleared (idempotent). */
    async sweepCases(): Promise<CaseSweepPassResult> {
      // The worker's own client: the kinds found in Temporal's visibility store (workflow runs).
      return sweepCases(models, caseSourceContext(config, new Date(), Context.current().client));
    },
    ...createPartnerKycCaseActivities({ models }),
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
