import { type OpsCommand, requireArg } from '../command';

/** Revokes by token id, or every live token of a name. Takes effect on the next request. */
export const revokeServiceTokenCommand: OpsCommand = {
  usage: '--id <token id> | --name <system>  revoke service tokens',
  options: { id: { type: 'string' }, name: { type: 'string' } },
  async run({ models, args }) {
    const filter = typeof args.id === 'string' ? { _id: requireArg(args, 'id') } : { name: requireArg(args, 'name') };
    const tokens = await models.ServiceToken.find({ ...filter, revokedAt: null }, { _id: 1 }).lean();
    if (!tokens.length) throw new Error('no live service token matches');
    await models.ServiceToken.updateMany(
      { _id: { $in: tokens.map((t) => t._id) } },
      { $set: { revokedAt: new Date() } },
    );
    for (const t of tokens)
      await models.AuditEvent.create({
        actor: 'system:ops',
        subject: `service-token:${t._id}`,
        action: 'service_token.revoke',
      });
    return `revoked ${tokens.length} token(s): ${tokens.map((t) => t._id).join(', ')}`;
  },
};
