import type { PasswordHasher } from '../../adapters/crypto/passwords';
import { createUser, EmailTakenError } from '../../adapters/identity/create-user';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import type { StaffRole } from '../../domain/vocabulary/users';
import { conflict } from '../app-error';
import { sendStaffWelcomeAgain, type SendStaffWelcomeAgainDeps, TENANT_STAFF_REASON } from './send-staff-welcome-again';
import { awaitsWelcome, sendStaffWelcome } from './staff-welcome';

export type InviteTenantStaffDeps = SendStaffWelcomeAgainDeps & {
  models: Models;
  /** Hashes a password given with the invitation (seed 002 compatibility). */
  passwords: Pick<PasswordHasher, 'hash'>;
};

export interface StaffInvitation {
  email: string;
  /** Optional: without it the person chooses one through the welcome email's link. */
  password?: string;
  firstName: string;
  lastName: string;
  role: StaffRole;
}

/**
 * A BANK_ADMIN adds a staff member to its tenant (seed 002): the user is created active, audited
 * (`user.created`), and welcomed by email with a single-use set-password link, never a password.
 * The same invitation sent again while the person has not set a password (its welcome may never have
 * started, Temporal being out of reach: issue 22) sends the welcome again and answers the same user;
 * any other user holding the address is 409 USER_ALREADY_EXISTS.
 */
export async function inviteTenantStaff(
  deps: InviteTenantStaffDeps,
  admin: { userId: string; tenantId: string | null },
  invitation: StaffInvitation,
  audit: { requestId: string | null },
): Promise<UserDoc> {
  const { models } = deps;
  let user: UserDoc;
  try {
    user = await createUser(models, {
      email: invitation.email,
      passwordHash: invitation.password ? await deps.passwords.hash(invitation.password) : null,
      firstName: invitation.firstName,
      lastName: invitation.lastName,
      tenantId: admin.tenantId,
      staffRole: invitation.role,
      userType: 'staff',
      role: 'org-staff',
      status: 'active',
    });
  } catch (err) {
    if (!(err instanceof EmailTakenError)) throw err;
    // Same tenant, email, names and role, no password given, and the person has not set one yet:
    // the welcome goes out (again). Anything else is a different user.
    const existing = (await models.User.findOne({
      email: invitation.email.trim().toLowerCase(),
    }).lean()) as UserDoc | null;
    const same =
      existing &&
      existing.tenantId === admin.tenantId &&
      existing.staffRole === invitation.role &&
      existing.firstName === invitation.firstName &&
      existing.lastName === invitation.lastName &&
      !invitation.password &&
      awaitsWelcome(existing);
    if (!same) throw conflict('USER_ALREADY_EXISTS', 'A user with this email already exists');
    await sendStaffWelcomeAgain(deps, admin, existing, { why: 'invitation retried', requestId: audit.requestId });
    return existing;
  }
  await models.AuditEvent.create({
    actor: admin.userId,
    subject: user._id,
    tenantId: admin.tenantId,
    action: 'user.created',
    from: null,
    to: { staffRole: invitation.role, status: 'active' },
    reason: TENANT_STAFF_REASON,
    requestId: audit.requestId,
  });
  await sendStaffWelcome(deps, { userId: user._id, tenantId: admin.tenantId, actorId: admin.userId });
  return user;
}
