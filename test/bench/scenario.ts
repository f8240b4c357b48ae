// The contract between `npm run bench` (test/bench/run.ts) and its scenarios
// (test/bench/scenarios/<name>.ts). Each scenario measures the project next to a bare baseline in
// the same run and returns rows for the ratio table; run.ts prints them and writes
// bench/results/<date>.json.

/** Infrastructure run.ts started for this bench run (throwaway, on free ports). */
export interface BenchInfra {
  mongodbUri: string;
  temporalAddress: string;
  /** A scratch directory removed after the run. */
  dataDir: string;
  /** Process ids of the Temporal server and the database, for per-process CPU and memory. */
  pids?: { temporal: number; database: number };
}

export interface BenchRow {
  metric: string;
  project: number | string;
  baseline?: number | string;
  /** project / baseline (or the inverse for "lower is better" metrics: say which in `unit`). */
  ratio?: number | string;
  unit?: string;
}

export interface ScenarioResult {
  name: string;
  rows: BenchRow[];
  notes?: string[];
}

export interface Scenario {
  name: string;
  description: string;
  /** `args` are the command-line arguments after the scenario names (e.g. `--users 100000`). */
  run(infra: BenchInfra, args: string[]): Promise<ScenarioResult>;
}
