import { Context } from '@temporalio/activity';

import type { Config } from '../../adapters/config';
import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import { openDateOfBirth } from '../../adapters/identity/date-of-birth';
import type { Models } from '../../adapters/models';
import { updateUser } from '../../adapters/models/user-writes';
import { SmileHttpError, smileIdLookup } from '../../adapters/providers/smile-id/client';
import { SMILE_ID_TYPES, SMILE_RESULT_CODES, type SmileLookupResponse } from '../../adapters/providers/smile-id/wire';
import type {
  IdentityNumberType,
  LookupOutcome,
  LookupResult,
  SealedNumbers,
} from '../../domain/contracts/verification-request.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { matchIdentity, normaliseDate } from '../../domain/rules/match-identity';

export interface IdentityNumberActivityDeps {
  config: Pick<
    Config,
    'PII_ENCRYPTION_KEYS' | 'SANDBOX_URL' | 'SMILE_ID_API_KEY' | 'SMILE_ID_BASE_URL' | 'SMILE_ID_PARTNER_ID'
  >;
  models: Pick<Models, 'User' | 'DocumentLock'>;
  fetch?: typeof fetch;
}

// Worst outcome wins when a request asked for both numbers.
const SEVERITY: LookupOutcome[] = ['match', 'partial', 'no_match', 'not_found', 'invalid_number'];

/** BVN/NIN lookups against the identity provider (Smile ID shape); hosted on the kyc worker. */
export function createIdentityNumberActivities({ config, models, fetch: fetchFn = fetch }: IdentityNumberActivityDeps) {
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  const creds = {
    baseUrl: config.SMILE_ID_BASE_URL ?? config.SANDBOX_URL,
    partnerId: config.SMILE_ID_PARTNER_ID,
    apiKey: config.SMILE_ID_API_KEY,
  };

  function outcomeOf(
    res: SmileLookupResponse,
    profile: { firstName: string; lastName: string; dateOfBirth: string | null },
  ): LookupOutcome {
    switch (res.ResultCode) {
      case SMILE_RESULT_CODES.notFound:
        return 'not_found';
      case SMILE_RESULT_CODES.unsupportedFormat:
        return 'invalid_number';
      case SMILE_RESULT_CODES.authorityUnavailable:
        // Retryable: the activity's retry policy backs off and tries again.
        throw ActivityFailures.create('PROVIDER_UNAVAILABLE', 'The identity authority is unavailable (1015)');
      case SMILE_RESULT_CODES.noMatch:
        return 'no_match';
      case SMILE_RESULT_CODES.validated:
      case SMILE_RESULT_CODES.exactMatch:
      case SMILE_RESULT_CODES.partialMatch: {
        // Our own rules decide (match-identity.ts), on what the authority returned.
        const fullName = res.FullName ?? [res.FirstName, res.MiddleName, res.LastName].filter(Boolean).join(' ');
        return matchIdentity(profile, { fullName, dateOfBirth: res.DOB });
      }
      default:
        throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', `Unexpected Smile ID result code ${res.ResultCode}`, {
          provider: 'smile-id',
        });
    }
  }

  return {
    async lookupIdentityNumbers(input: {
      requestId: string;
      userId: string;
      numbers: SealedNumbers;
    }): Promise<LookupResult> {
      const user = await models.User.findById(input.userId, { firstName: 1, lastName: 1, dateOfBirthSealed: 1 }).lean();
      if (!user) throw ActivityFailures.create('NOT_FOUND', 'user not found');
      const profile = {
        firstName: user.firstName ?? '',
        lastName: user.lastName ?? '',
        dateOfBirth: openDateOfBirth(cipher, user),
      };
      const results: LookupResult['results'] = [];
      for (const [type, sealed] of Object.entries(input.numbers) as [IdentityNumberType, { sealed: string }][]) {
        let res: SmileLookupResponse;
        try {
          res = await smileIdLookup(
            creds,
            {
              idType: SMILE_ID_TYPES[type],
              idNumber: cipher.decrypt(sealed.sealed, input.requestId),
              firstName: profile.firstName,
              lastName: profile.lastName,
              dob: normaliseDate(profile.dateOfBirth),
              // Stable across retries of one lookup, so the provider can deduplicate them.
              jobId: `${input.requestId}-${type}-${Context.current().info.activityId}`,
              userId: input.userId,
            },
            fetchFn,
          );
        } catch (err) {
          if (err instanceof SmileHttpError && (err.status === 401 || err.status === 403)) {
            throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', 'Smile ID rejected our credentials', {
              provider: 'smile-id',
            });
          }
          throw err; // network errors and 5xx: retried
        }
        results.push({ type, outcome: outcomeOf(res, profile), resultCode: res.ResultCode });
      }
      const outcome = results.reduce<LookupOutcome>(
        (worst, r) => (SEVERITY.indexOf(r.outcome) > SEVERITY.indexOf(worst) ? r.outcome : worst),
        'match',
      );
      // A full match includes the date of birth (match-identity.ts): the authority confirmed it, so
      // the profile stops accepting changes to it (PUT /users/{id} answers DATE_OF_BIRTH_LOCKED).
      // A retry just sets it again. Only the date the authority saw is locked: if the user changed it
      // while the lookup ran (the sealed value differs), the new date stays unverified and editable.
      if (outcome === 'match' && user.dateOfBirthSealed) {
        const matched = user.dateOfBirthSealed;
        await updateUser(models, input.userId, (current) =>
          current.dateOfBirthSealed === matched ? { $set: { dateOfBirthVerifiedAt: new Date() } } : null,
        );
      }
      return { outcome, results };
    },
  };
}

export type IdentityNumberActivities = ReturnType<typeof createIdentityNumberActivities>;
