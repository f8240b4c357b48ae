import { createPasswordHasher } from '../../../adapters/crypto/passwords';
import { createUser, slugify } from '../../../adapters/identity/create-user';
import { isDuplicateKeyError } from '../../../adapters/models/duplicate-key';
import { type OpsCommand, requireArg } from '../command';

/** A tenant (organization) and its first BANK_ADMIN, who then manages the rest via /api/v1/auth/users. */
export const createTenant: OpsCommand = {
  usage:
    '--name <name> --admin-email <email> --admin-password <password> [--admin-first-name <name>] [--admin-last-name <name>] [--slug <slug>] [--primary-color <#hex>]',
  options: {
    name: { type: 'string' },
    slug: { type: 'string' },
    'primary-color': { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
    'admin-first-name': { type: 'string' },
    'admin-last-name': { type: 'string' },
  },
  async run({ config, models, args }) {
    const name = requireArg(args, 'name');
    const email = requireArg(args, 'admin-email');
    const password = requireArg(args, 'admin-password');
    if (password.length < 8) throw new Error('--admin-password must be at least 8 characters');
    const names = {
      firstName: optionalName(args, 'admin-first-name'),
      lastName: optionalName(args, 'admin-last-name'),
    };
    const slug = typeof args.slug === 'string' ? slugify(args.slug) : slugify(name);
    if (!slug) throw new Error('cannot derive a slug from --name; pass --slug');
    const color = typeof args['primary-color'] === 'string' ? args['primary-color'] : null;
    if (color && !/^#[0-9a-fA-F]{6}$/.test(color)) throw new Error('--primary-color must look like #0F172A');
    if (await models.User.exists({ email: email.toLowerCase() }))
      throw new Error('a user with this email already exists');
    const org = await models.Organization.create({ name, slug, primaryColor: color }).catch((err) => {
      throw isDuplicateKeyError(err) ? new Error(`slug "${slug}" is taken; pass --slug`) : err;
    });
    const admin = await createUser(models, {
      email,
      ...names,
      passwordHash: await createPasswordHasher(config).hash(password),
      tenantId: org._id,
      userType: 'staff',
      role: 'org-staff',
      staffRole: 'BANK_ADMIN',
      status: 'active',
    });
    await models.AuditEvent.create({
      actor: 'system:ops',
      subject: admin._id,
      tenantId: org._id,
      action: 'user.created',
      from: null,
      to: { staffRole: 'BANK_ADMIN', status: 'active' },
      reason: 'ops create-tenant',
      requestId: null,
    });
    return `tenant ${org._id} (slug ${org.slug})\nBANK_ADMIN ${admin._id}`;
  },
};

/** Shown by GET /api/v1/auth/me and in staff lists; empty when not given. */
function optionalName(args: Record<string, string | boolean | undefined>, flag: string): string {
  const v = typeof args[flag] === 'string' ? (args[flag] as string).trim() : '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (v.length > 100 || /[\u0000-\u001f\u007f]/.test(v))
    throw new Error(`--${flag} must be at most 100 printable characters`);
  return v;
}
