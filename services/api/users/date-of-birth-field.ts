import { z } from 'zod';

import type { FieldCipher } from '../../../adapters/crypto/field-cipher';
import { openDateOfBirth } from '../../../adapters/identity/date-of-birth';
import type { UserDoc } from '../../../adapters/models/user';
import {
  DATE_OF_BIRTH_AGE_BOUNDS,
  DATE_OF_BIRTH_MESSAGES,
  dateOfBirthProblem,
} from '../../../domain/rules/date-of-birth';

/** `YYYY-MM-DD`, a real calendar date in the past, age within the bounds (domain/rules/date-of-birth.ts). */
export const dateOfBirthSchema = () =>
  z
    .string()
    .superRefine((v, ctx) => {
      const problem = dateOfBirthProblem(v, new Date());
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `dateOfBirth: ${DATE_OF_BIRTH_MESSAGES[problem]}`,
          params: { reason: problem },
        });
    })
    .meta({
      description: `ISO date (YYYY-MM-DD); age ${DATE_OF_BIRTH_AGE_BOUNDS.min}..${DATE_OF_BIRTH_AGE_BOUNDS.max}. Stored encrypted; locked once an identity check verified it.`,
      example: '1991-03-12',
    });

/** What the profile shows: the owner sees their date whole (to check it), anyone else a mask. */
export const MASKED_DATE_OF_BIRTH = '****-**-**';
export function dateOfBirthShown(cipher: FieldCipher, user: UserDoc, viewerId: string | null): string | null {
  if (!user.dateOfBirthSealed) return null;
  return viewerId === user._id ? openDateOfBirth(cipher, user) : MASKED_DATE_OF_BIRTH;
}
