import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes: operators filter on them in the Web UI. Never put PII in them.
export const SA = {
  OnboardingStep: defineSearchAttributeKey('OnboardingStep', SearchAttributeType.KEYWORD),
  KycStatus: defineSearchAttributeKey('KycStatus', SearchAttributeType.KEYWORD),
  /** When the run entered its current `OnboardingStep` (workflow time). */
  StepEnteredAt: defineSearchAttributeKey('StepEnteredAt', SearchAttributeType.DATETIME),
  TenantId: defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD),
  VerificationStatus: defineSearchAttributeKey('VerificationStatus', SearchAttributeType.KEYWORD),
  VerificationType: defineSearchAttributeKey('VerificationType', SearchAttributeType.KEYWORD),
  DueAt: defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME),
} as const;
