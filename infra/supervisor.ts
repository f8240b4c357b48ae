import type { ManagedProcess } from './processes';

export interface Supervised {
  name: string;
  /** The process running now (a new one after each restart). */
  current(): ManagedProcess;
  /** How many times it was restarted. */
  restarts(): number;
  /** Stops it for good (no restart). */
  stop(graceMs?: number): Promise<void>;
}

export interface SupervisorOptions {
  /** Where the "exited; restarting" lines go (the dev runner prints them as `[dev] …`). */
  log: (line: string) => void;
  /** First delay; doubles per crash in a row up to maxMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run that lasted this long resets the backoff: it was healthy, the next crash is news. */
  stableAfterMs?: number;
}

/**
 * Keeps a service process running: when it exits without being asked to (a crash, `kill -9`, an
 * OOM), it is started again after a backoff (1 s, 2 s, 4 s … 30 s) with a visible log line. A
 * service that dies never takes anything else down: the dev runner supervises the API, sandbox and
 * workers with this, so Temporal and the database keep running and in-flight workflows resume as
 * soon as the worker is back (their state lives in Temporal, not in the worker).
 */
export function supervise(name: string, start: () => ManagedProcess, opts: SupervisorOptions): Supervised {
  const initial = opts.initialBackoffMs ?? 1_000;
  const max = opts.maxBackoffMs ?? 30_000;
  const stableAfter = opts.stableAfterMs ?? 60_000;
  let stopped = false;
  let restarts = 0;
  let crashesInRow = 0;
  let timer: NodeJS.Timeout | undefined;
  let proc: ManagedProcess;
  let startedAt = 0;

  const launch = () => {
    proc = start();
    startedAt = Date.now();
    const mine = proc;
    void mine.exited.then((code) => {
      if (stopped || mine !== proc) return;
      if (Date.now() - startedAt >= stableAfter) crashesInRow = 0;
      const delay = Math.min(max, initial * 2 ** crashesInRow);
      crashesInRow++;
      const how = mine.child.signalCode ? `signal ${mine.child.signalCode}` : `code ${code}`;
      opts.log(
        `${name} exited unexpectedly (${how}); restarting in ${(delay / 1000).toFixed(1)} s (restart #${restarts + 1})`,
      );
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped) return;
        restarts++;
        launch();
        opts.log(`${name} restarted (pid ${proc.child.pid})`);
      }, delay);
    });
  };
  launch();

  return {
    name,
    current: () => proc,
    restarts: () => restarts,
    async stop(graceMs?: number) {
      stopped = true;
      if (timer) clearTimeout(timer);
      await proc.stop(graceMs);
    },
  };
}
