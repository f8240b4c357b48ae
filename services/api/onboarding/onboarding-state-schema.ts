import { z } from 'zod';

import { ONBOARDING_STEPS, type OnboardingState } from '../../../domain/contracts/onboarding.contract';
import type { SameType } from '../http/same-type';

const OUTCOMES = ['active', 'rejected', 'abandoned', 'registration_failed', 'closed_by_admin'] as const;
const iso = z.string().nullable();

/**
 * `GET /users/{userId}/onboarding`: the workflow's state query answered as is. The contract's
 * `OnboardingState` (domain/contracts/onboarding.contract.ts) is the source; this schema documents and
 * checks it, and the line below stops the build when the two differ in any field.
 */
export const onboardingStateSchema = z
  .object({
    userId: z.string(),
    tenantId: z.string().nullable(),
    step: z.enum(ONBOARDING_STEPS),
    outcome: z.enum(OUTCOMES).nullable(),
    email: z.object({ confirmedAt: iso, codeExpiresAt: iso, attemptsLeft: z.number(), resendsLeft: z.number() }),
    veriff: z.object({
      sessionId: z.string().nullable(),
      url: z.string().nullable(),
      status: z.string().nullable(),
      resubmissions: z.number(),
      reason: z.string().nullable(),
      updatedAt: iso,
    }),
    bridge: z.object({
      required: z.boolean().nullable(),
      kycLinkId: z.string().nullable(),
      customerId: z.string().nullable(),
      kycStatus: z.string().nullable(),
      tosStatus: z.string().nullable(),
      rejectionReasons: z.array(z.string()),
      updatedAt: iso,
    }),
    kycLevel: z.enum(['none', 'basic', 'advanced']),
    rejectionReason: z.string().nullable(),
    timestamps: z.object({
      registeredAt: z.string(),
      confirmedAt: iso,
      kycApprovedAt: iso,
      activatedAt: iso,
      closedAt: iso,
    }),
    nextReminderAt: iso,
  })
  .meta({ id: 'OnboardingState' });

const schemaMatchesContract: SameType<z.infer<typeof onboardingStateSchema>, OnboardingState> = true;
void schemaMatchesContract;
