import { loadConfig } from '../../adapters/config';
import { createHttpServer } from '../../adapters/http-server';
import { createLogger } from '../../adapters/logger';
import { createSandboxApp } from './app';
import { Outbox } from './outbox';

async function main() {
  const config = loadConfig(process.env, 'sandbox');
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'sandbox' });
  // Persisted when SANDBOX_OUTBOX_FILE is set (npm start sets it under .data/): a restart keeps the messages.
  const outbox = new Outbox({ file: config.SANDBOX_OUTBOX_FILE });
  logger.info({ file: config.SANDBOX_OUTBOX_FILE ?? null, messages: outbox.count() }, 'sandbox outbox loaded');
  const { app } = createSandboxApp({ config, logger, outbox });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(config.SANDBOX_PORT, config.HOST, resolve));
  logger.info({ port: config.SANDBOX_PORT }, 'sandbox listening');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
