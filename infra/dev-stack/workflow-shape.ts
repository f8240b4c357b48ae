import fs from 'node:fs';
import path from 'node:path';

/**
 * The shape of the workflow code, for the local stack's `.data/temporal.db`. Bump it (and say why
 * in SHAPE_CHANGES) when a change leaves runs recorded by earlier code unable to continue on the
 * new code, which only a change nothing has been released with may do: `npm start` then stops with
 * one line on a `.data/` from before, instead of workers failing every task of every old run.
 * Since Worker Deployment Versioning (docs/architecture.md, "Versioning") a change to a PINNED
 * workflow needs no bump: its local runs wait for their own build instead of failing.
 */
export const WORKFLOW_SHAPE = 2;
const SHAPE_CHANGES: Record<number, string> = {
  2: "onboarding's patched() markers collapsed (issue 25)",
};

const STAMP = 'workflow-shape';
const DB_FILES = ['temporal.db', 'temporal.db-wal', 'temporal.db-shm'];

export type ShapeCheck = { ok: true; note?: string } | { ok: false; line: string };

function readStamp(dataDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dataDir, STAMP), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Records that `.data/temporal.db` holds runs of this shape (a new database, or after a reset). */
export function stampWorkflowShape(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, STAMP), `${WORKFLOW_SHAPE}\n`);
}

/**
 * Whether the embedded Temporal's runs in `dataDir` fit this code. A database without a stamp
 * predates the stamp, which came with shape 2. With `reset`, an old database is moved aside
 * (`temporal.db.shape-<n>`, nothing deleted) and the stack starts with no runs; the database
 * of users and the rest (.data/db) stays.
 */
export function checkWorkflowShape(dataDir: string, opts: { reset: boolean }): ShapeCheck {
  const db = path.join(dataDir, 'temporal.db');
  if (!fs.existsSync(db)) {
    stampWorkflowShape(dataDir);
    return { ok: true };
  }
  const found = readStamp(dataDir) ?? 1;
  if (found === WORKFLOW_SHAPE) return { ok: true };
  if (opts.reset) {
    const aside = path.join(dataDir, `temporal.db.shape-${found}`);
    fs.mkdirSync(aside, { recursive: true });
    for (const f of DB_FILES)
      if (fs.existsSync(path.join(dataDir, f))) fs.renameSync(path.join(dataDir, f), path.join(aside, f));
    stampWorkflowShape(dataDir);
    return {
      ok: true,
      note: `moved the workflow runs of shape ${found} to ${path.relative(process.cwd(), aside) || aside}/; starting with none`,
    };
  }
  const why =
    found < WORKFLOW_SHAPE
      ? `made before ${SHAPE_CHANGES[found + 1] ?? `shape ${found + 1}`}`
      : `made by newer code (shape ${found})`;
  return {
    ok: false,
    line:
      `.data/temporal.db holds workflow runs ${why}, which this code (shape ${WORKFLOW_SHAPE}) cannot replay: ` +
      '`npm start -- --reset-workflows` sets them aside and starts without them (users and the rest of .data/db stay), ' +
      'or run the commit that made them to finish them',
  };
}
