import { Context } from '@temporalio/activity';

import type { Config } from '../../adapters/config';
import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import type { Models } from '../../adapters/models';
import { currentCatalog } from '../../adapters/partner-kyc/catalog-store';
import { openFields } from '../../adapters/partner-kyc/sealed-fields';
import {
  smileDocumentJobStatus,
  SmileHttpError,
  smileIdLookup,
  submitSmileDocumentJob,
} from '../../adapters/providers/smile-id/client';
import { parseSmileJobResult } from '../../adapters/providers/smile-id/job-result';
import { SMILE_RESULT_CODES, type SmileLookupResponse } from '../../adapters/providers/smile-id/wire';
import type { CheckOutcome, PartnerKycProviderActivities } from '../../domain/contracts/partner-kyc.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import type { SmileImage } from '../../domain/partner-kyc/fields';
import { matchIdentity } from '../../domain/rules/match-identity';

interface Deps {
  config: Pick<
    Config,
    'PII_ENCRYPTION_KEYS' | 'SANDBOX_URL' | 'SMILE_ID_API_KEY' | 'SMILE_ID_BASE_URL' | 'SMILE_ID_PARTNER_ID'
  >;
  models: Pick<Models, 'PartnerKycSubmission' | 'KycCatalog'>;
}

const rejected = (description: string, resultCode: string): CheckOutcome => ({
  decision: 'rejected',
  description,
  resultCode,
});

/** 401/403 from the provider is our configuration, not the user's data: never retried. */
function permanentOnAuth(err: unknown): never {
  if (err instanceof SmileHttpError && [400, 401, 403].includes(err.status)) {
    throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', `Smile ID refused the request (${err.status})`, {
      provider: 'smile-id',
    });
  }
  throw err;
}

/**
 * Partner-KYC provider calls (kyc worker). They open the sealed submission themselves, so names,
 * dates of birth, ID numbers and images never travel through workflow history.
 */
export function createPartnerKycProviderActivities({ config, models }: Deps): PartnerKycProviderActivities {
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  const creds = {
    baseUrl: config.SMILE_ID_BASE_URL ?? config.SANDBOX_URL,
    partnerId: config.SMILE_ID_PARTNER_ID,
    apiKey: config.SMILE_ID_API_KEY,
  };

  async function open(submissionId: string) {
    const s = await models.PartnerKycSubmission.findById(submissionId).lean();
    if (!s) throw ActivityFailures.create('NOT_FOUND', 'submission not found');
    return { s, fields: openFields(cipher, submissionId, s.fieldsSealed) };
  }

  return {
    async verifyBasicDocument({ submissionId }) {
      const { s, fields } = await open(submissionId);
      const person = {
        firstName: String(fields.first_name ?? ''),
        lastName: String(fields.last_name ?? ''),
        dateOfBirth: String(fields.dob ?? '') || null,
      };
      let res: SmileLookupResponse;
      try {
        res = await smileIdLookup(creds, {
          idType: s.documentValue,
          country: s.country,
          idNumber: String(fields.id_number),
          firstName: person.firstName,
          lastName: person.lastName,
          dob: person.dateOfBirth,
          jobId: `${submissionId}-${Context.current().info.activityId}`,
          userId: s.userId,
        });
      } catch (err) {
        permanentOnAuth(err);
      }
      switch (res.ResultCode) {
        case SMILE_RESULT_CODES.notFound:
          return rejected('Not Found', res.ResultCode);
        case SMILE_RESULT_CODES.unsupportedFormat:
          return rejected('Invalid ID Number', res.ResultCode);
        case SMILE_RESULT_CODES.noMatch:
          return rejected('No Match', res.ResultCode);
        case SMILE_RESULT_CODES.authorityUnavailable:
          throw ActivityFailures.create('PROVIDER_UNAVAILABLE', 'The identity authority is unavailable (1015)');
        case SMILE_RESULT_CODES.validated:
        case SMILE_RESULT_CODES.exactMatch:
        case SMILE_RESULT_CODES.partialMatch: {
          // Our own matching rules decide, on what the authority returned vs what the partner submitted.
          const fullName = res.FullName ?? [res.FirstName, res.MiddleName, res.LastName].filter(Boolean).join(' ');
          const match = matchIdentity(person, { fullName, dateOfBirth: res.DOB });
          if (match === 'match')
            return { decision: 'approved', description: 'Exact Match', resultCode: res.ResultCode };
          if (match === 'no_match') return rejected('No Match', res.ResultCode);
          const catalog = await currentCatalog(models, s.country);
          return catalog?.acceptPartialMatch
            ? { decision: 'approved', description: 'Partial Match', resultCode: res.ResultCode }
            : rejected('Partial Match', res.ResultCode);
        }
        default:
          throw ActivityFailures.create(
            'PERMANENT_PROVIDER_ERROR',
            `Unexpected Smile ID result code ${res.ResultCode}`,
            { provider: 'smile-id' },
          );
      }
    },

    async submitDocumentJob({ submissionId }) {
      const { s, fields } = await open(submissionId);
      try {
        // The job id is the submission id: a retried upload is the same job at the provider.
        const res = await submitSmileDocumentJob(creds, {
          jobId: submissionId,
          userId: s.userId,
          country: s.country,
          documentType: s.documentValue,
          images: fields.images as SmileImage[],
        });
        return { jobId: res.job_id };
      } catch (err) {
        permanentOnAuth(err);
      }
    },

    async documentJobResult({ jobId }) {
      let status;
      try {
        status = await smileDocumentJobStatus(creds, jobId);
      } catch (err) {
        permanentOnAuth(err);
      }
      const result = parseSmileJobResult(creds, status);
      if (!result.ok)
        throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', 'Smile ID job status signature is invalid', {
          provider: 'smile-id',
        });
      if (result.state === 'pending') {
        const why =
          result.why === 'under_review' ? 'the document is under review' : 'the document job is not complete yet';
        throw ActivityFailures.create('DOCUMENT_JOB_PENDING', why);
      }
      if (result.state === 'verified')
        return { decision: 'approved', description: 'Document Verified', resultCode: result.resultCode };
      return rejected(result.resultText || 'Document Not Verified', result.resultCode);
    },
  };
}
