import { createServiceToken, SERVICE_SCOPES } from '../../../adapters/identity/service-tokens';
import { type OpsCommand, requireArg } from '../command';

/** Prints a new service token once; only its hash is stored. */
export const createServiceTokenCommand: OpsCommand = {
  usage: `--name <system> --scopes <${SERVICE_SCOPES.join('|')},…>  print a new service token`,
  options: { name: { type: 'string' }, scopes: { type: 'string' } },
  async run({ models, args }) {
    const name = requireArg(args, 'name');
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(name)) throw new Error('--name must be lowercase letters, digits and dashes');
    const scopes = [
      ...new Set(
        requireArg(args, 'scopes')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    const unknown = scopes.filter((s) => !(SERVICE_SCOPES as readonly string[]).includes(s));
    if (!scopes.length || unknown.length)
      throw new Error(`--scopes must be a comma list of ${SERVICE_SCOPES.join(', ')}`);
    const { token, id } = await createServiceToken(models, { name, scopes });
    await models.AuditEvent.create({
      actor: 'system:ops',
      subject: `service-token:${id}`,
      action: 'service_token.create',
      to: { name, scopes },
    });
    return `${token}\n# id ${id}; send it as "Authorization: Bearer <token>". It is not stored and cannot be shown again.`;
  },
};
