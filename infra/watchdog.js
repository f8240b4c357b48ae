'use strict';
// Runs a command and kills it when the process that asked for it dies, even by SIGKILL.
// Node cannot set PR_SET_PDEATHSIG, so we poll: `node watchdog.js <ownerPid> <cmd> [args…]`.
const { spawn } = require('node:child_process');

const [ownerPid, cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: 'inherit' });

function stop(signal) {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

const timer = setInterval(() => {
  try {
    process.kill(Number(ownerPid), 0);
  } catch {
    stop('SIGTERM');
    setTimeout(() => stop('SIGKILL'), 5000).unref();
  }
}, 1000);

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig));
child.on('error', (err) => {
  process.stderr.write(`cannot start ${cmd}: ${err.message}\n`);
  process.exit(127);
});
// A child killed by a signal exits as a shell reports it, 128 + the signal's number (134: SIGABRT,
// which is how V8 ends a process past its heap limit; 137: SIGKILL), so the signal can be told apart.
child.on('exit', (code, signal) => {
  clearInterval(timer);
  process.exit(code ?? (signal ? 128 + (require('node:os').constants.signals[signal] ?? 0) : 0));
});
