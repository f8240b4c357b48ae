import { DefaultLogger, Runtime } from '@temporalio/worker';

// Worker and SDK logs at WARN and above only; a test that needs more sets TEST_LOG_LEVEL.
try {
  Runtime.install({ logger: new DefaultLogger(process.env.TEST_LOG_LEVEL ? 'DEBUG' : 'WARN') });
} catch {
  /* already installed in this jest worker process */
}
