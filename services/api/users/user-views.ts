import { z } from 'zod';

import type { UserDoc } from '../../../adapters/models/user';
import {
  ID_TYPES,
  KYC_LEVELS,
  STAFF_ROLES,
  USER_ROLES,
  USER_STATUSES,
  USER_TYPES,
} from '../../../domain/vocabulary/users';

/** Seed 002's `isActive` is derived from the platform status (docs/roles.md). */
export const isActive = (u: Pick<UserDoc, 'status'>) => u.status !== 'inactive';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

// Seed 002 user shape, field for field.
export const tenantUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z
      .enum(STAFF_ROLES)
      .nullable()
      .meta({ description: 'Tenant staff role; null for users who are not tenant staff' }),
    isActive: z.boolean(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'TenantUser' });

export function tenantUserView(u: UserDoc): z.infer<typeof tenantUserSchema> {
  return {
    id: u._id,
    email: u.email,
    firstName: u.firstName ?? '',
    lastName: u.lastName ?? '',
    role: u.staffRole ?? null,
    isActive: isActive(u),
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: iso(u.createdAt)!,
  };
}

const addressSchema = z.object({
  line1: z.string().max(200).optional(),
  line2: z.string().max(200).optional(),
  city: z.string().max(100).optional(),
  state: z.string().max(100).optional(),
  postalCode: z.string().max(20).optional(),
  country: z.string().length(2).optional(),
});
export const addressInputSchema = addressSchema.strict();

// Seed 000 profile: ID document numbers never leave the server, only their last 3 characters.
export const profileSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    country: z.string().nullable(),
    address: addressSchema.nullable(),
    dateOfBirth: z
      .string()
      .nullable()
      .meta({ description: 'YYYY-MM-DD to the user themselves; `****-**-**` to anyone else; null when not given' }),
    dateOfBirthVerified: z.boolean().meta({ description: 'An identity check matched it: it can no longer be changed' }),
    idDocuments: z.array(
      z.object({
        type: z.enum(ID_TYPES),
        numberLast3: z.string(),
        issuingCountry: z.string().nullable(),
        expiresOn: z.string().nullable(),
      }),
    ),
    status: z.enum(USER_STATUSES),
    isActive: z.boolean(),
    role: z.enum(USER_ROLES),
    userType: z.enum(USER_TYPES),
    staffRole: z.enum(STAFF_ROLES).nullable(),
    tenantId: z.string().nullable(),
    kycLevel: z.enum(KYC_LEVELS),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'UserProfile' });

/** `dateOfBirth` is what the viewer may see (services/api/users/date-of-birth-field.ts); masked by default. */
export function profileView(
  u: UserDoc,
  dateOfBirth: string | null = u.dateOfBirthSealed ? '****-**-**' : null,
): z.infer<typeof profileSchema> {
  const address = u.address ? Object.fromEntries(Object.entries(u.address).filter(([, v]) => v != null)) : null;
  return {
    id: u._id,
    email: u.email,
    firstName: u.firstName ?? '',
    lastName: u.lastName ?? '',
    phone: u.phone ?? null,
    country: u.country ?? null,
    address,
    dateOfBirth,
    dateOfBirthVerified: Boolean(u.dateOfBirthVerifiedAt),
    idDocuments: (u.idDocuments ?? []).map((d) => ({
      type: d.type,
      numberLast3: d.numberLast3,
      issuingCountry: d.issuingCountry ?? null,
      expiresOn: d.expiresOn ?? null,
    })),
    status: u.status,
    isActive: isActive(u),
    role: u.role,
    userType: u.userType,
    staffRole: u.staffRole ?? null,
    tenantId: u.tenantId ?? null,
    kycLevel: u.kycLevel,
    lastLoginAt: iso(u.lastLoginAt),
    createdAt: iso(u.createdAt)!,
    updatedAt: iso(u.updatedAt)!,
  };
}

/** A function, not a constant: parameter schemas must be built after the OpenAPI zod extension. */
export const pageQuerySchema = () =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    totalPages: z.number().int(),
  });

export function paged<T>(items: T[], total: number, page: number, limit: number) {
  return { items, total, page, limit, totalPages: Math.ceil(total / limit) };
}
