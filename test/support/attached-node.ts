// A server node as its own process that joins emulators already running (a test's local stack)
// instead of starting its own: several such processes are several nodes of one platform, with
// one user pool and one table, as in production. Started through test/support/server-process.ts
// with the stack's DATA_DIR and emulator ports; accounts only (no match rooms).
import { loadConfig } from '../../server/src/config.js';
import { connectLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import { metricsApp } from '../../server/src/metrics/http.js';
import { createPlatform } from '../../server/src/platform.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const backends = await connectLocal(config, logger);
  const platform = createPlatform({ config, logger, backends });
  const server = platform.app.listen(config.PORT, config.HOST);
  const metrics =
    config.METRICS_PORT === undefined
      ? undefined
      : metricsApp(platform.metrics).listen(config.METRICS_PORT, config.METRICS_HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const stop = async () => {
    server.close();
    metrics?.close();
    server.closeAllConnections();
    await platform.close();
    await backends.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => {
    stop().catch(() => process.exit(1));
  });
  process.stdout.write(`Duel platform at http://${config.HOST}:${config.PORT} (attached node)\n`);
}

main().catch((err: unknown) => {
  console.error(`attached node failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
