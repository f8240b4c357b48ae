'use strict';
// Entry point of `npm start`, `npm test` and `npm run bench`: makes a fresh clone runnable
// (dependencies, then tools) and hands over to the real command. No dependencies of its own.
const { spawnSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { installTools, MissingPrerequisite } = require('./install-tools');
const { paths } = require('./tools-paths');

function ensureDependencies() {
  const lock = path.join(paths.root, 'package-lock.json');
  const stamp = path.join(paths.root, 'node_modules', '.deps-stamp');
  const lockHash = () => crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
  const want = lockHash();
  let have = '';
  try {
    have = fs.readFileSync(stamp, 'utf8').trim();
  } catch {
    /* first run */
  }
  if (have === want) {
    process.stdout.write('[setup] found node_modules matching package-lock.json\n');
    return;
  }
  process.stdout.write('[setup] installing npm dependencies from package-lock.json\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // `npm install` rather than `npm ci`: some registry mirrors serve only this platform's optional
  // native packages, and `npm ci` refuses a lock file that lacks the other platforms' entries.
  const res = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: paths.root, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stderr.write('npm install failed (see above)\n');
    process.exit(res.status || 1);
  }
  fs.writeFileSync(stamp, lockHash() + '\n');
}

function handOver(args) {
  const child = spawn(process.execPath, args, { cwd: paths.root, stdio: 'inherit' });
  // The child handles SIGINT/SIGTERM itself; we forward SIGTERM (Ctrl-C reaches the whole group already).
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => {});
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const commands = {
  setup: () => null,
  start: (extra) => ['--import', 'tsx', 'infra/dev-stack/main.ts', ...extra],
  test: (extra) => ['node_modules/jest/bin/jest.js', ...extra],
  bench: (extra) => ['--import', 'tsx', 'test/bench/run.ts', ...extra],
};

function main() {
  const [command, ...extra] = process.argv.slice(2);
  if (!commands[command]) {
    process.stderr.write(`usage: node infra/bootstrap.js <${Object.keys(commands).join('|')}>\n`);
    process.exit(2);
  }
  ensureDependencies();
  try {
    installTools({ mode: command === 'start' ? 'start' : 'test' });
  } catch (err) {
    process.stderr.write(`${err instanceof MissingPrerequisite ? '' : 'setup failed: '}${err.message}\n`);
    process.exit(1);
  }
  const args = commands[command](extra);
  if (args) handOver(args);
}

main();
