import { Gauge, type Registry } from 'prom-client';

import { countOpenCases } from '../../../adapters/cases/case-store';
import type { Models } from '../../../adapters/models';

/**
 * `kyc_cases_open{kind,age_bucket}`: open cases by kind and age (<1h, 1h-24h, 1d-7d, >7d), read
 * at scrape time from the cases read model (one `_id` read per kind: the queues of the last sweep
 * pass). Registered on the API's metrics registry by app.ts.
 */
export function registerCaseMetrics(
  registry: Registry,
  models: Pick<Models, 'CaseQueue'>,
  now: () => Date = () => new Date(),
): Gauge<'kind' | 'age_bucket'> {
  return new Gauge({
    name: 'kyc_cases_open',
    help: 'Open cases (things waiting for a person) by kind and age bucket',
    labelNames: ['kind', 'age_bucket'] as const,
    registers: [registry],
    async collect() {
      const rows = await countOpenCases(models, now());
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, age_bucket: r.ageBucket }, r.count);
    },
  });
}
