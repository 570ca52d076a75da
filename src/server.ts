import cluster from 'node:cluster';
import { startClusterPrimary } from './cluster';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { startService } from './service';

/** Entry point: `npm start` (API and workers), or ROLE=api / ROLE=worker apart. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // Handlers go in before start-up, so a SIGTERM that arrives while workers are still starting
  // waits for start-up and then drains, instead of killing requests the API already took.
  let stopping = false;
  const clustered = config.API_PROCESSES > 1 && config.ROLE !== 'worker' && cluster.isPrimary;
  const starting = clustered ? startClusterPrimary(config, logger) : startService(config, logger);
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const service = await starting;
    const deadline = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    service
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM').catch(() => process.exit(1)));
  process.on('SIGINT', () => void shutdown('SIGINT').catch(() => process.exit(1)));
  await starting;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cyberstall failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
