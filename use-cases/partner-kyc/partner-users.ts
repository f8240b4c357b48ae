import { createUser, EmailTakenError } from '../../adapters/identity/create-user';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { AppError, conflict, forbidden } from '../app-error';

/** The partner's API client a call came with (services/api/partner/api-client-auth.ts authenticates it). */
export interface PartnerClient {
  clientId: string;
  tenantId: string;
}

const emailUnavailable = () => conflict('EMAIL_UNAVAILABLE', 'This email cannot be used with this client');

/** Only plain end users of the client's own tenant: never staff, admins or another tenant's users. */
function assertPartnerUser(user: UserDoc | null, client: PartnerClient): UserDoc {
  if (!user || user.tenantId !== client.tenantId || user.userType !== 'user' || user.staffRole)
    throw emailUnavailable();
  if (user.status === 'inactive') throw forbidden('This account has been deactivated', 'ACCOUNT_DEACTIVATED');
  return user;
}

/** Seed 003: the user with this email, created in the client's tenant when absent. */
export async function findOrCreatePartnerUser(
  models: Models,
  client: PartnerClient,
  input: { email: string; country: string; requestId: string | null; reason: string },
): Promise<UserDoc> {
  const email = input.email.toLowerCase();
  let user = (await models.User.findOne({ email }).lean()) as UserDoc | null;
  if (!user) {
    try {
      user = await createUser(models, {
        email,
        tenantId: client.tenantId,
        country: input.country,
        userType: 'user',
        role: 'retail',
        // The partner vouches for the email; identity checks come next.
        status: 'pending_verification',
      });
      await models.AuditEvent.create({
        actor: `client:${client.clientId}`,
        subject: user._id,
        tenantId: client.tenantId,
        action: 'user.created',
        from: null,
        to: { status: user.status },
        reason: input.reason,
        requestId: input.requestId,
      });
    } catch (err) {
      if (!(err instanceof EmailTakenError)) throw err;
      user = (await models.User.findOne({ email }).lean()) as UserDoc | null;
    }
  }
  return assertPartnerUser(user, client);
}

/** An existing user of the client's tenant (submit, limits): 404 USER_NOT_FOUND otherwise. */
export async function findPartnerUser(models: Models, client: PartnerClient, email: string): Promise<UserDoc> {
  const user = (await models.User.findOne({ email: email.toLowerCase() }).lean()) as UserDoc | null;
  if (!user) throw new AppError(404, 'USER_NOT_FOUND', 'No user has this email: call POST /api/user/kyc/status first');
  return assertPartnerUser(user, client);
}
