import { z } from 'zod';

import { SAFE_TEXT } from '../../../domain/rules/safe-text';

/**
 * A person's name as typed by a person: no control characters (NUL, CR/LF …) and no bidi
 * overrides, which would otherwise travel into emails and logs (issue 16). 400 VALIDATION_ERROR
 * with the field's path in `details`; the rule is a schema pattern, so /openapi.json states it.
 */
export const personName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(SAFE_TEXT, 'must not contain control characters or bidirectional overrides');
