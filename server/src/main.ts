// The composition root of a server process: settings, logger, backends, platform, listener,
// and the shutdown that every stop (SIGTERM, SIGINT, a key in the terminal) goes through.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { connectAws, type Backends } from './backends.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { answerClientErrors } from './http/client-errors.js';
import { createLogger, type Logger } from './logger.js';
import { RoomHost } from './match/room-host.js';
import { TICK_RATE } from '../../shared/src/sim/constants.js';
import { metricsApp } from './metrics/http.js';
import { createPlatform, type Platform } from './platform.js';
import { nodeUdpPort } from './cluster/index.js';
import { isNodeLost, type NodeReadyMessage } from './cluster/primary.js';

const SHUTDOWN_DEADLINE_MS = 5000;
// A process of a cluster leaves its primary time to stop the emulators within the 5 s.
const CLUSTER_SHUTDOWN_DEADLINE_MS = 4000;
// dist/server/src/main.js when built, server/src/main.ts when run from source.
const webRoot = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../web/dist' : '../../../web/dist',
    import.meta.url,
  ),
);

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`config: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

async function backendsFor(config: Config, logger: Logger): Promise<Backends> {
  if (config.mode.kind === 'aws') return connectAws(config, logger);
  // Dynamic import: only local mode loads the emulators (dev dependencies).
  const local = await import('./local/index.js');
  // A process of a cluster uses the emulators its primary started.
  if (config.NODE_INDEX !== undefined) return local.connectLocal(config, logger);
  return local.startLocal(config, logger);
}

function describe(config: Config, url: string): string {
  if (config.mode.kind === 'aws')
    return `Duel platform at ${url} (AWS mode: ${config.mode.region}, pool ${config.mode.userPoolId})`;
  return `Duel platform at ${url} (local mode: Cognito emulator on :${config.LOCAL_COGNITO_PORT}, DynamoDB emulator on :${config.LOCAL_DYNAMODB_PORT}, data in ${config.DATA_DIR})`;
}

function onStopRequest(stop: (why: string) => void, readKeys = true): void {
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (readKeys && process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.once('data', () => stop('key pressed'));
  }
}

/** Listens, or fails with one line naming the setting to change. */
async function listen(
  app: { listen(port: number, host: string): Server },
  port: number,
  host: string,
  setting: string,
): Promise<Server> {
  const server = app.listen(port, host);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`${setting} ${port} is in use on ${host}; set ${setting}`)
          : e,
      ),
    );
  });
  return server;
}

/**
 * The public listener: HTTPS with the node's certificate when TLS_CERT_FILE/TLS_KEY_FILE are set
 * (the load balancer's hop to the instance), plain HTTP otherwise (local mode, tests).
 */
function publicListener(
  config: Config,
  app: Platform['app'],
): { listen(port: number, host: string): Server } {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (certFile === undefined || keyFile === undefined) return app;
  const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  return { listen: (port, host) => createHttpsServer(tls, app).listen(port, host) };
}

interface Running {
  config: Config;
  server: Server;
  /** The private /metrics listener, when METRICS_PORT is set. */
  metricsServer: Server | undefined;
  platform: Platform;
  host: RoomHost;
  backends: Backends;
  logger: Logger;
}

async function shutdown(
  why: string,
  { config, server, metricsServer, platform, host, backends, logger }: Running,
) {
  logger.info({ why }, 'stopping');
  // Whatever happens below, the process is gone within the deadline.
  const inCluster = config.NODE_INDEX !== undefined;
  setTimeout(
    () => {
      logger.error('shutdown overran its deadline; exiting');
      process.exit(1);
    },
    inCluster ? CLUSTER_SHUTDOWN_DEADLINE_MS : SHUTDOWN_DEADLINE_MS,
  ).unref();
  if (!inCluster && process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  // First, no other process places a new match here.
  await platform.cluster?.leave();
  server.close();
  metricsServer?.close();
  const inactive = await platform.realtime?.stop();
  logger.info({ inactive }, 'players told and marked inactive');
  server.closeAllConnections();
  await host.close();
  await platform.close();
  await backends.close();
  logger.info('stopped');
  process.exit(0);
}

/** The cluster primary (NODES > 1): emulators once, NODES server processes, restarts. */
async function primary(config: Config, logger: Logger): Promise<void> {
  const { runPrimary } = await import('./cluster/primary.js');
  const shown = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const scheme = config.TLS_CERT_FILE === undefined ? 'http' : 'https';
  const url = `${scheme}://${shown}:${config.PORT}`;
  await runPrimary({
    config,
    logger,
    ...(config.mode.kind === 'local'
      ? {
          startBackends: async () => (await import('./local/index.js')).startLocal(config, logger),
        }
      : {}),
    onStopRequest,
    readyLine: `${describe(config, url)} in ${config.NODES} processes`,
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.NODES > 1 && cluster.isPrimary) return primary(config, logger);
  const index = config.NODE_INDEX;
  const backends = await backendsFor(config, logger);
  const udpPort = nodeUdpPort(config);
  const host = await RoomHost.start({
    udpPort,
    // The one UDP port listens where HTTP does: loopback in local mode, every interface on a server.
    bindAddress: config.HOST,
    publicIp: config.PUBLIC_IP,
    heartbeatTimeoutMs: config.HEARTBEAT_TIMEOUT_MS,
    reconnectGraceMs: config.RECONNECT_GRACE_MS,
    snapshotRate: 30,
    matchTicks: config.MATCH_SECONDS * TICK_RATE,
    logger,
    faultInjection: config.ROOM_FAULT_INJECTION !== 'off',
    nice: config.ROOM_NICE,
    realtimePriority: config.ROOM_RT_PRIORITY,
  });
  const platform = createPlatform({ config, logger, backends, webRoot, host, udpPort });
  const fault = config.ROOM_FAULT_INJECTION;
  if (fault !== 'off') {
    // Test-only (test/integration/worker-supervision.test.ts): SIGUSR2 makes the room worker fail.
    process.on('SIGUSR2', () => {
      host.injectFault(fault).catch((err: unknown) => logger.warn({ err }, 'fault not injected'));
    });
  } else {
    // SIGUSR2 drains this process: no new matches here, current ones finish.
    process.on('SIGUSR2', () => {
      platform.cluster?.drain().catch((err: unknown) => logger.warn({ err }, 'drain failed'));
    });
  }
  const server = await listen(
    publicListener(config, platform.app),
    config.PORT,
    config.HOST,
    'PORT',
  );
  // Metrics on their own private listener when asked: PORT may face the internet. Each process
  // of a cluster has its own, METRICS_PORT + its index.
  const metricsServer =
    config.METRICS_PORT === undefined
      ? undefined
      : await listen(
          metricsApp(platform.metrics),
          config.METRICS_PORT + (index ?? 0),
          config.METRICS_HOST,
          'METRICS_PORT',
        );
  await platform.cluster?.ready;
  let stopping = false;
  onStopRequest((why) => {
    if (stopping) return;
    stopping = true;
    shutdown(why, { config, server, metricsServer, platform, host, backends, logger }).catch(
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  }, index === undefined);
  if (index !== undefined) {
    process.on('message', (m: unknown) => {
      if (isNodeLost(m))
        platform.cluster?.registry
          .forget(m.nodeId)
          .catch((err: unknown) => logger.warn({ err }, 'could not forget a lost process'));
    });
    // A process of a cluster: its primary prints the ready line once every process is ready.
    const ready: NodeReadyMessage = {
      kind: 'node-ready',
      nodeId: platform.cluster?.nodeId ?? '',
      index,
    };
    process.send?.(ready);
    return;
  }
  const shown = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const scheme = config.TLS_CERT_FILE === undefined ? 'http' : 'https';
  process.stdout.write(`${describe(config, `${scheme}://${shown}:${config.PORT}`)}\n`);
}

main().catch((err: unknown) => {
  console.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
