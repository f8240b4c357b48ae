/** Metric names with at least one sample in a Prometheus text exposition (histograms: `_bucket` …). */
export function sampledMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? \S+/);
    if (m) names.add(m[1]);
  }
  return names;
}

/** Metric names a Prometheus text exposition declares (`# TYPE`) or has samples of. */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = sampledMetricNames(exposition);
  for (const m of exposition.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /gm)) names.add(m[1]);
  return names;
}

const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: identifiers that are not functions or aggregations
 * (followed by `(`), keywords, label names (inside `{…}` or a `by (…)` list) or durations (`[5m]`).
 * Good enough for the expressions this project writes; the tests use it on alerts.yml and the dashboard.
 */
export function promqlMetricNames(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
    .replace(/\[[^\]]*\]/g, ''); // range and subquery durations
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(rest) || PROMQL_WORDS.has(m[0].toLowerCase())) continue;
    if (m.index! > 0 && /[0-9.]/.test(stripped[m.index! - 1])) continue; // 1e3, 5m offsets
    names.add(m[0]);
  }
  return names;
}
