import { onboardingWorkflowId } from '../../../domain/contracts/onboarding.contract';
import { appStack } from '../app-stack';
import { historyLength, runBareWorkflows } from '../bare-workflows';
import { pool, serverErrors, steps } from '../journey-steps';
import { spread } from '../load';
import type { Scenario } from '../scenario';
import { options } from '../scenario-kit';

/**
 * N concurrent onboardings from register to `active` through the sandbox (code email, Veriff
 * approval, Bridge link, ToS and KYC approval, all by signed webhooks), against a bare
 * one-activity workflow on the same Temporal server, interleaved round by round.
 */
export const scenario: Scenario = {
  name: 'journey',
  description: 'N concurrent onboardings register → active vs a bare one-activity workflow (completions/s, events/s)',
  async run(infra, args) {
    const o = options(args, { journeys: '8', rounds: '2', bare: '100' });
    const app = await appStack(infra);
    const s = steps(app);
    const perSecond: number[] = [];
    const eventsPerSecond: number[] = [];
    const bare: Awaited<ReturnType<typeof runBareWorkflows>>[] = [];
    const each: number[] = [];
    let events = 0;
    for (let r = 0; r < o.rounds; r++) {
      const t0 = performance.now();
      const done = await pool(Array.from({ length: o.journeys }), o.journeys, async () => {
        const t = performance.now();
        const u = await s.journey('journey');
        each.push(performance.now() - t);
        return u;
      });
      const seconds = (performance.now() - t0) / 1000;
      events = await historyLength(infra.temporalAddress, onboardingWorkflowId(done[0].userId));
      perSecond.push(o.journeys / seconds);
      eventsPerSecond.push((o.journeys * events) / seconds);
      bare.push(await runBareWorkflows(infra.temporalAddress, o.bare, 32));
    }
    const ratio = (xs: number[], ys: number[]) => xs.map((x, i) => x / ys[i]);
    return {
      name: 'journey',
      rows: [
        {
          metric: `completions/s (${o.journeys} concurrent journeys vs bare workflows 32 at a time)`,
          project: spread(perSecond),
          baseline: spread(bare.map((b) => b.perSecond)),
          ratio: spread(
            ratio(
              perSecond,
              bare.map((b) => b.perSecond),
            ),
            3,
          ),
          unit: 'per s (higher better)',
        },
        {
          metric: 'history events per workflow',
          project: events,
          baseline: bare[0].eventsPerWorkflow,
          unit: 'events (onboarding only, notifications not counted)',
        },
        {
          metric: 'history events/s',
          project: spread(eventsPerSecond),
          baseline: spread(bare.map((b) => b.eventsPerSecond)),
          ratio: spread(
            ratio(
              eventsPerSecond,
              bare.map((b) => b.eventsPerSecond),
            ),
          ),
          unit: 'events/s (higher better)',
        },
        {
          metric: 'one journey, wall time',
          project: spread(each.map((x) => x / 1000)),
          unit: 's (min / median / max over journeys)',
        },
      ],
      notes: [
        `cells: min / median / max over ${o.rounds} interleaved rounds`,
        ...(serverErrors.size
          ? [
              `5xx while polling the onboarding state (so far in this run): ${JSON.stringify(Object.fromEntries(serverErrors))}`,
            ]
          : []),
      ],
    };
  },
};
