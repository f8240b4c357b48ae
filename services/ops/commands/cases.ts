import { randomUUID } from 'node:crypto';

import { createTemporalClient } from '../../../adapters/temporal-client';
import { CASE_ACTIONS, CASE_KINDS, type CaseKind } from '../../../domain/contracts/cases.contract';
import { actOnCase, type ActOnCaseInput } from '../../../use-cases/cases/act-on-case';
import type { CaseViewer } from '../../../use-cases/cases/case-access';
import { CaseCommandError } from '../../../use-cases/cases/case-errors';
import { listCases } from '../../../use-cases/cases/list-cases';
import { webhookRedriver } from '../../../use-cases/cases/redrive-webhook';
import { showCase } from '../../../use-cases/cases/show-case';
import { changeUserStatus } from '../../../use-cases/users/change-user-status';
import { sweepCasesNow } from '../../common/case-sweep';
import { type OpsCommand, requireArg } from '../command';

/** Reading needs no identity (the operator holds the database); acting is done as a named internal admin. */
const OPERATOR: CaseViewer = { userId: 'ops-cli', tenantId: null, userType: 'internal-admin', staffRole: null };

/** Every action the API takes (POST /cases/{id}/actions), from the one list in the contract. */
const ACTIONS = [...CASE_ACTIONS, 'dismiss'] as const;

/**
 * `npm run ops -- cases list|show|act|sweep`: the same use cases as GET /cases, GET /cases/{id}
 * and POST /cases/{id}/actions (docs/operations.md), printed as JSON (list also as a table).
 */
export const cases: OpsCommand = {
  usage:
    'list [--tenant <id>] [--kind <kind>] [--state open|closed] [--min-age-hours <n>] [--limit <n>] [--json] | show <caseId> | ' +
    `act <caseId> --action <${ACTIONS.join('|')}> --as <internal admin userId> [--reason <text>] [--due-at <iso>] [--hours <n>] ` +
    '[--key <idempotency key>] [--expected-version <n>] | sweep',
  positionals: true,
  options: {
    tenant: { type: 'string' },
    kind: { type: 'string' },
    state: { type: 'string' },
    'min-age-hours': { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    action: { type: 'string' },
    as: { type: 'string' },
    reason: { type: 'string' },
    'due-at': { type: 'string' },
    hours: { type: 'string' },
    key: { type: 'string' },
    'expected-version': { type: 'string' },
  },
  async run({ config, models, args, positionals = [] }) {
    const [sub, caseId] = positionals;
    const temporal = createTemporalClient(config);
    const deps = {
      models,
      temporal,
      config,
      changeUserStatus: (change: Parameters<typeof changeUserStatus>[1]) =>
        changeUserStatus({ models, temporal, config }, change),
      redriveWebhook: webhookRedriver({ models, temporal, config, now: () => new Date() }),
    };
    try {
      if (sub === 'list') {
        const kind = args.kind as string | undefined;
        if (kind && !(CASE_KINDS as readonly string[]).includes(kind))
          throw new Error(`--kind must be one of ${CASE_KINDS.join(', ')}`);
        const state = args.state as string | undefined;
        if (state && state !== 'open' && state !== 'closed') throw new Error('--state must be open or closed');
        const page = await listCases(deps, OPERATOR, {
          tenantId: args.tenant as string | undefined,
          kind: kind as CaseKind | undefined,
          state: state as 'open' | 'closed' | undefined,
          minAgeHours: args['min-age-hours'] ? Number(args['min-age-hours']) : undefined,
          page: 1,
          limit: args.limit ? Math.min(1000, Number(args.limit)) : 50,
        });
        if (args.json) return JSON.stringify(page, null, 2);
        const lines = page.items.map((c) =>
          [c.id, c.tenantId ?? '-', c.ageBucket, c.why.step ?? '-', c.why.lastProviderEvent ?? '-'].join('\t'),
        );
        return [`${page.total} case(s)`, ...lines].join('\n');
      }
      if (sub === 'show') {
        if (!caseId) throw new Error('usage: cases show <caseId>');
        return JSON.stringify(await showCase(deps, OPERATOR, caseId), null, 2);
      }
      if (sub === 'act') {
        if (!caseId) throw new Error('usage: cases act <caseId> --action <action> --as <userId>');
        const action = requireArg(args, 'action');
        if (!(ACTIONS as readonly string[]).includes(action))
          throw new Error(`--action must be one of ${ACTIONS.join(', ')}`);
        // Who acts is a real internal admin: the audit names a person, not the CLI.
        const actorId = requireArg(args, 'as');
        const actor = await models.User.findById(actorId, { userType: 1, status: 1 }).lean();
        if (!actor || actor.userType !== 'internal-admin' || actor.status !== 'active')
          throw new Error('--as must be the id of an active internal admin');
        const input: ActOnCaseInput = {
          caseId,
          action: action as ActOnCaseInput['action'],
          reason: (args.reason as string | undefined) ?? null,
          dueAt: args['due-at'] as string | undefined,
          hours: args.hours === undefined ? undefined : Number(args.hours),
          expectedVersion: args['expected-version'] ? Number(args['expected-version']) : undefined,
          idempotencyKey: (args.key as string | undefined) ?? `ops-cli-${randomUUID()}`,
          requestId: `ops-cli:${randomUUID()}`,
        };
        return JSON.stringify(await actOnCase(deps, { ...OPERATOR, userId: actorId }, input), null, 2);
      }
      if (sub === 'sweep') {
        await sweepCasesNow(temporal, config);
        return 'case sweep asked for a pass now';
      }
      throw new Error('usage: cases list|show|act|sweep (see npm run ops)');
    } catch (err) {
      if (err instanceof CaseCommandError) {
        throw new Error(
          `${err.code}: ${err.message}${err.details ? `\n${JSON.stringify(err.details, null, 2)}` : ''}`,
          {
            cause: err,
          },
        );
      }
      throw err;
    } finally {
      await temporal.connection.close();
    }
  },
};
