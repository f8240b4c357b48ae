import { loadConfig } from '../../adapters/config';
import { connectDatabase } from '../../adapters/database';
import { createHttpServer } from '../../adapters/http-server';
import { createLogger } from '../../adapters/logger';
import { createModels, ensureIndexes } from '../../adapters/models';
import { createTemporalClient } from '../../adapters/temporal-client';
import { createApp } from './app';
import { apiWebhookSignals } from './webhooks/webhook-signals';
import { startWebhookSweeper } from './webhooks/webhook-sweeper';

async function main() {
  const config = loadConfig(process.env, 'api');
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'api' });
  const db = await connectDatabase(config.MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  const temporal = createTemporalClient(config);
  // Provider webhooks are answered once in the inbox; this sends their signals, and the sweeper
  // re-drives any that a crash or an unreachable Temporal left behind (docs/webhooks.md).
  const webhookSignals = apiWebhookSignals({ config, logger, models, temporal });
  const sweeper = startWebhookSweeper({
    signals: webhookSignals,
    logger,
    intervalMs: config.WEBHOOK_SWEEP_INTERVAL_SECONDS * 1000,
    afterMs: config.WEBHOOK_SWEEP_AFTER_SECONDS * 1000,
    batch: config.WEBHOOK_SWEEP_BATCH,
  });
  // What a previous process left pending goes out first, oldest first (provider order per run).
  webhookSignals
    .recover(config.WEBHOOK_SWEEP_BATCH)
    .then((n) => n && logger.info({ redriven: n }, 'webhook signals left by a previous process re-driven'))
    .catch((err: unknown) => logger.warn({ err }, 'webhook recovery sweep failed; the sweeper retries'));
  // Registrations whose run never started keep a password hash: they expire after a day (issue 22).
  const pendingSweep = setInterval(() => {
    models.PendingRegistration.sweepExpired(new Date()).then(
      (n) => n && logger.info({ deleted: n }, 'expired pending registrations deleted'),
      (err) => logger.warn({ err: (err as Error).name }, 'pending registration sweep failed'),
    );
  }, 3_600_000).unref();
  const app = createApp({ config, logger, db, models, temporal, webhookSignals });

  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  logger.info({ port: config.PORT, host: config.HOST }, 'api listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api shutting down');
    // Stop accepting, let in-flight requests finish, then close idle keep-alive sockets.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_GRACE_MS).unref();
    await closed;
    clearTimeout(timer);
    // Signals being sent finish; queued ones stay pending in the database for the next sweep.
    await sweeper.stop();
    clearInterval(pendingSweep);
    await webhookSignals.stop();
    await temporal.connection.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    logger.info('api stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
