import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const DAY_MS = 24 * 3600_000;

// The workflow bundle `npm start` and the bench hand to the workers (WORKFLOW_BUNDLE_PATH), built
// once per change of its sources. Without it every worker process runs webpack over workflows/ at
// start-up, which costs seconds of CPU and leaves the bundler's memory in a process that idles for
// days (docs/performance.md: worker RSS).

/** What the bundle is made of: the workflow code, the domain it imports, the SDK (lock file) and the recipe. */
const INPUT_DIRS = ['workflows', 'domain'];
const INPUT_FILES = ['package-lock.json', 'tsconfig.json', 'infra/build-workflow-bundle.ts'];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** A digest of every input's path and content, so an edit anywhere in them means a new bundle. */
export function workflowBundleDigest(root: string): string {
  const hash = crypto.createHash('sha256');
  const files = [
    ...INPUT_DIRS.flatMap((d) => filesUnder(path.join(root, d))),
    ...INPUT_FILES.map((f) => path.join(root, f)),
  ].sort();
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The path of a bundle of the current sources, building it (in a child process, so webpack's memory
 * leaves with it) when none exists. Concurrent callers each write a temporary file and rename it, so
 * a reader never sees half a bundle.
 */
export async function ensureWorkflowBundle(root: string, log: (line: string) => void = () => {}): Promise<string> {
  const dir = path.join(root, 'dist', 'workflow-bundles');
  const file = path.join(dir, `${workflowBundleDigest(root)}.js`);
  if (fs.existsSync(file)) return file;
  log(`building the workflow bundle (${path.relative(root, file)})`);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'infra', 'build-workflow-bundle.ts'), tmp],
      { cwd: root },
    );
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`workflow bundle build failed: ${(e.stderr || e.message).trim()}`, { cause: err });
  }
  fs.renameSync(tmp, file);
  // Bundles of older sources go after a day (a stack started earlier may still restart a worker from one).
  for (const old of fs.readdirSync(dir).map((f) => path.join(dir, f)))
    if (old !== file && fs.statSync(old).mtimeMs < Date.now() - DAY_MS) fs.rmSync(old, { force: true });
  return file;
}
