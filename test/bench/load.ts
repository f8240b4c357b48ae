import http from 'node:http';

// A small load generator on node:http with keep-alive connections (no wrk/autocannon here).

export interface Outcome {
  count: number;
  ok: number;
  errors: Record<string, number>;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  latenciesMs: number[];
}

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
export const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

export function send(agent: http.Agent, base: string, call: HttpCall): Promise<{ status: number; body: string }> {
  const url = new URL(call.path, base);
  return new Promise((resolve, reject) => {
    const body = call.body === undefined ? undefined : Buffer.isBuffer(call.body) ? call.body : Buffer.from(call.body);
    const req = http.request(
      url,
      {
        method: call.method,
        agent,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
          ...call.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function summarise(latencies: number[], ok: number, errors: Record<string, number>, seconds: number): Outcome {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: latencies.length,
    ok,
    errors,
    seconds,
    throughput: ok / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    latenciesMs: latencies,
  };
}

/**
 * Closed loop: `connections` clients each send the next request when the last one answered, until
 * `durationMs` passed or `maxRequests` were sent. `expect` says which statuses count as success.
 */
export async function closedLoop(opts: {
  base: string;
  connections: number;
  durationMs: number;
  maxRequests?: number;
  next: (i: number) => HttpCall;
  expect: number;
  onResult?: (i: number, call: HttpCall, sentAt: number, res: { status: number; body: string }) => void;
}): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let ok = 0;
  let issued = 0;
  const start = performance.now();
  const stopAt = start + opts.durationMs;
  const max = opts.maxRequests ?? Infinity;
  const client = async () => {
    while (performance.now() < stopAt && issued < max) {
      const i = issued++;
      const call = opts.next(i);
      const t0 = performance.now();
      const sentAt = Date.now();
      try {
        const res = await send(agent, opts.base, call);
        latencies.push(performance.now() - t0);
        if (res.status === opts.expect) ok++;
        else errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
        opts.onResult?.(i, call, sentAt, res);
      } catch (err) {
        latencies.push(performance.now() - t0);
        const key = err instanceof Error ? err.message : String(err);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, client));
  agent.destroy();
  return summarise(latencies, ok, errors, (performance.now() - start) / 1000);
}

/** Open loop: requests at a fixed rate whatever the answers' speed (latency includes queueing). */
export async function openLoop(opts: {
  base: string;
  ratePerSecond: number;
  count: number;
  next: (i: number) => HttpCall;
  expect: number;
  onResult?: (i: number, status: number) => void;
}): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let ok = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < opts.count; i++) {
    const due = start + (i * 1000) / opts.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const call = opts.next(i);
    const t0 = performance.now();
    inflight.push(
      send(agent, opts.base, call).then(
        (res) => {
          latencies.push(performance.now() - t0);
          opts.onResult?.(i, res.status);
          if (res.status === opts.expect) ok++;
          else errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
        },
        (err) => {
          latencies.push(performance.now() - t0);
          const key = err instanceof Error ? err.message : String(err);
          errors[key] = (errors[key] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return summarise(latencies, ok, errors, (performance.now() - start) / 1000);
}

/** min / median / max of per-round figures, for the ratio table. */
export function spread(xs: number[], digits = 2): string {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return 'n/a';
  const f = (x: number) => x.toFixed(digits);
  return s.length === 1 ? f(s[0]) : `${f(s[0])} / ${f(median(s))} / ${f(s.at(-1)!)}`;
}
