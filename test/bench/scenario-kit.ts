import { parseArgs } from 'node:util';

import type { Outcome } from './load';
import { spread } from './load';
import type { BenchRow } from './scenario';

// Shared by the scenarios: options, and project-vs-baseline rows from interleaved rounds.

export function options<T extends Record<string, string>>(args: string[], defaults: T): { [K in keyof T]: number } {
  const { values } = parseArgs({
    args,
    strict: false,
    options: Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }])),
  });
  return Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, Number(values[k] ?? d)])) as {
    [K in keyof T]: number;
  };
}

export interface Pair {
  project: Outcome;
  baseline: Outcome;
}

/**
 * Rows for throughput (higher is better: ratio project/baseline) and p50/p99 latency (lower is
 * better: ratio project/baseline, so > 1 means slower). Each cell is min / median / max over rounds.
 */
export function pairRows(label: string, rounds: Pair[]): BenchRow[] {
  const col = (f: (o: Outcome) => number, side: 'project' | 'baseline') => rounds.map((r) => f(r[side]));
  const ratio = (f: (o: Outcome) => number) => rounds.map((r) => f(r.project) / f(r.baseline));
  const row = (metric: string, f: (o: Outcome) => number, unit: string, digits = 1): BenchRow => ({
    metric: `${label} ${metric}`,
    project: spread(col(f, 'project'), digits),
    baseline: spread(col(f, 'baseline'), digits),
    ratio: spread(ratio(f), 2),
    unit,
  });
  return [
    row('throughput', (o) => o.throughput, 'req/s (ratio project/bare, higher better)'),
    row('p50', (o) => o.p50, 'ms (ratio project/bare, lower better)', 0),
    row('p99', (o) => o.p99, 'ms (ratio project/bare, lower better)', 0),
  ];
}

export function errorNotes(label: string, rounds: Pair[]): string[] {
  const notes: string[] = [];
  rounds.forEach((r, i) => {
    for (const side of ['project', 'baseline'] as const) {
      const e = r[side].errors;
      if (Object.keys(e).length)
        notes.push(`${label} round ${i + 1} ${side}: non-success answers ${JSON.stringify(e)}`);
    }
  });
  return notes;
}

export const ms = (x: number) => Math.round(x);
