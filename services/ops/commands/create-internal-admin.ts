import { createPasswordHasher } from '../../../adapters/crypto/passwords';
import { createUser, EmailTakenError } from '../../../adapters/identity/create-user';
import { type OpsCommand, requireArg } from '../command';

/** A platform operator: userType internal-admin, no tenant. `--super` makes a super-admin (may grant admin roles). */
export const createInternalAdmin: OpsCommand = {
  usage: '--email <email> --password <password> [--super]',
  options: { email: { type: 'string' }, password: { type: 'string' }, super: { type: 'boolean' } },
  async run({ config, models, args }) {
    const email = requireArg(args, 'email');
    const password = requireArg(args, 'password');
    if (password.length < 12) throw new Error('--password must be at least 12 characters for an internal admin');
    const role = args.super ? 'super-admin' : 'admin';
    const admin = await createUser(models, {
      email,
      passwordHash: await createPasswordHasher(config).hash(password),
      tenantId: null,
      userType: 'internal-admin',
      role,
      status: 'active',
    }).catch((err) => {
      throw err instanceof EmailTakenError ? new Error('a user with this email already exists') : err;
    });
    await models.AuditEvent.create({
      actor: 'system:ops',
      subject: admin._id,
      tenantId: null,
      action: 'user.created',
      from: null,
      to: { userType: 'internal-admin', role },
      reason: 'ops create-internal-admin',
      requestId: null,
    });
    return `internal admin ${admin._id} (${role})`;
  },
};
