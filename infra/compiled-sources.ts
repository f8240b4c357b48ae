import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const DAY_MS = 24 * 3600_000;

// The worker processes run compiled JavaScript, not TypeScript through tsx: tsx keeps a compiler
// and the sources' maps in every process it loads, ~40 MiB of RSS per long-lived worker
// (docs/performance.md). The sources are transpiled file by file with esbuild (tsx's own
// compiler, so nothing new to install; the project compiles with `isolatedModules`, which makes
// per-file transpiling exact), once per change of the sources, in well under a second.

/** Everything a service process can import (infra/ is tooling, never imported by a service). */
const SOURCE_DIRS = ['domain', 'adapters', 'activities', 'workflows', 'use-cases', 'services'];
const INPUT_FILES = ['package-lock.json', 'tsconfig.json', 'infra/compiled-sources.ts'];

function sourcesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourcesUnder(p) : /\.(ts|js|json)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function digestOf(root: string, files: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of [...files, ...INPUT_FILES.map((f) => path.join(root, f))].sort()) {
    hash.update(path.relative(root, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The directory holding a compiled copy of the sources (same layout, `.js` for `.ts`), compiling
 * it when the sources changed. It lives under the project (dist/compiled/<digest>) so packages
 * resolve from the project's node_modules; written to a temporary directory and renamed, so
 * concurrent starts never see half of it.
 */
export async function ensureCompiledSources(root: string, log: (line: string) => void = () => {}): Promise<string> {
  const files = SOURCE_DIRS.flatMap((d) => sourcesUnder(path.join(root, d)));
  const base = path.join(root, 'dist', 'compiled');
  const out = path.join(base, digestOf(root, files));
  if (fs.existsSync(out)) return out;
  log(`compiling the services to JavaScript (${path.relative(root, out)})`);
  // esbuild comes with tsx (a dependency); resolved through it so no second copy is needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from tsx's own folder at run time
  const esbuild: typeof import('esbuild') = require(
    require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }),
  );
  const tmp = `${out}.${process.pid}.tmp`;
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(root, file);
      const target = path.join(tmp, rel.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!file.endsWith('.ts')) return fs.promises.copyFile(file, target);
      const { code } = await esbuild.transform(await fs.promises.readFile(file, 'utf8'), {
        loader: 'ts',
        format: 'cjs',
        target: 'node20',
        sourcefile: rel,
      });
      await fs.promises.writeFile(target, code);
    }),
  );
  try {
    fs.renameSync(tmp, out);
  } catch (err) {
    // Another start compiled the same sources first: theirs is identical.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(out)) throw err;
  }
  // Copies of older sources go after a day (a stack started earlier may still restart a worker from one).
  for (const old of fs.readdirSync(base).map((f) => path.join(base, f)))
    if (old !== out && fs.statSync(old).mtimeMs < Date.now() - DAY_MS) fs.rmSync(old, { recursive: true, force: true });
  return out;
}
