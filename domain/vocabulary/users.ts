// Seed 000's platform vocabulary and seed 002's tenant staff roles (see docs/roles.md).
export const USER_STATUSES = [
  'not_verified',
  'pending_verification',
  'active',
  'rejected',
  'pending',
  'sandbox',
  'inactive',
] as const;
export const USER_ROLES = ['retail', 'freelancer', 'org-staff', 'admin', 'super-admin'] as const;
export const USER_TYPES = ['user', 'staff', 'merchant', 'org-admin', 'internal-admin'] as const;
export const ID_TYPES = ['passport', 'drivers_license', 'national_id', 'other'] as const;
export const STAFF_ROLES = ['BANK_ADMIN', 'COMPLIANCE_OFFICER', 'ANALYST', 'AUDITOR'] as const;
export const KYC_LEVELS = ['none', 'basic', 'advanced'] as const;

export type UserStatus = (typeof USER_STATUSES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type UserType = (typeof USER_TYPES)[number];
export type IdType = (typeof ID_TYPES)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];
export type KycLevel = (typeof KYC_LEVELS)[number];
