// The benchmark's server process: the platform server/src/main.ts builds in local mode, with
// two bench-only additions. `--inline` runs the match rooms on the HTTP thread
// (test/bench/inline-rooms.ts) instead of a worker thread, to measure that alternative. And it
// answers requests on its IPC channel (BenchRequest): RoomHost.stats(), because neither
// /metrics nor /api/admin/status carries the tick lag percentiles; ending every match; and
// which threads the rooms run on, so /proc's per-thread CPU can be told apart. `--login-library`
// swaps the login for amazon-cognito-identity-js's authenticateUser (the reference path of the
// login benchmark; test/bench/library-login.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { loadConfig } from '../../server/src/config.js';
import { startLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import { RoomHost } from '../../server/src/match/room-host.js';
import { createPlatform } from '../../server/src/platform.js';
import { startInlineRooms } from './inline-rooms.js';
import { withLibraryLogin } from './library-login.js';

/**
 * `stats`: RoomHost.stats(). `endAll`: ends every live match (reason `ended`), so bots
 * playing for an open-ended time finish with a full report when a measurement is done.
 * `threads`: the thread ids RoomHost.start created (the room worker, and its module loader
 * when run from source); native threads (libdatachannel's) come later, with the first peer.
 * `memory`: process.memoryUsage() of the main thread (its V8 heap; RSS is the process's).
 * `gc`: a full collection of the main thread's heap (started with --expose-gc).
 * `queue`: tickets waiting for an opponent.
 * `pids`: process ids of the room workers (child processes), for their /proc figures.
 * `sessionChecks`: how the session checks of authenticated calls were served so far
 * (cache / renewed / refused): a renewal is one DynamoDB write.
 */
export interface BenchRequest {
  readonly id: number;
  readonly kind:
    'stats' | 'endAll' | 'threads' | 'memory' | 'gc' | 'queue' | 'pids' | 'sessionChecks';
}

const tids = () => new Set(readdirSync('/proc/self/task').map(Number));

const inline = process.argv.includes('--inline');
const libraryLogin = process.argv.includes('--login-library');

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.mode.kind !== 'local') throw new Error('the benchmark runs in local mode only');
  const logger = createLogger(config.LOG_LEVEL);
  const local = await startLocal(config, logger);
  const pool = JSON.parse(readFileSync(join(config.DATA_DIR, 'local-aws.json'), 'utf8')) as {
    userPoolId: string;
    clientId: string;
  };
  const endpoint = `http://127.0.0.1:${config.LOCAL_COGNITO_PORT}`;
  const backends = libraryLogin
    ? { ...local, idp: withLibraryLogin(local.idp, { ...pool, endpoint }) }
    : local;
  const before = tids();
  const host = await RoomHost.start({
    udpPort: config.RTC_UDP_PORT,
    bindAddress: config.HOST,
    heartbeatTimeoutMs: config.HEARTBEAT_TIMEOUT_MS,
    snapshotRate: 30,
    matchTicks: config.MATCH_SECONDS * 60,
    logger,
    nice: config.ROOM_NICE,
    realtimePriority: config.ROOM_RT_PRIORITY,
    ...(inline ? { startRunner: startInlineRooms } : {}),
  });
  const roomThreads = [...tids()].filter((tid) => !before.has(tid));
  const platform = createPlatform({ config, logger, backends, host });
  const server: Server = platform.app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const answer = async (m: BenchRequest): Promise<unknown> => {
    if (m.kind === 'stats') return host.stats();
    if (m.kind === 'threads') return { rooms: roomThreads };
    if (m.kind === 'memory') return process.memoryUsage();
    if (m.kind === 'gc') return globalThis.gc?.();
    if (m.kind === 'queue') return (await platform.realtime?.signalling.queueLength()) ?? 0;
    if (m.kind === 'pids') return { rooms: host.workerPids() };
    if (m.kind === 'sessionChecks') {
      const values = (await platform.metrics.sessionChecks.get()).values;
      return Object.fromEntries(values.map((v) => [String(v.labels.served), v.value]));
    }
    return Promise.all(host.liveMatches().map((live) => host.endMatch(live.matchId, 'ended')));
  };
  process.on('message', (m: BenchRequest) => {
    answer(m).then(
      (value) => process.send?.({ id: m.id, ok: true, value }),
      (err: unknown) => process.send?.({ id: m.id, ok: false, error: String(err) }),
    );
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 8_000).unref();
    server.close();
    await platform.realtime?.stop();
    server.closeAllConnections();
    await host.close();
    await platform.close();
    await backends.close();
    // process.exit, not a natural end: --cpu-prof writes its profile on exit either way.
    process.exit(0);
  };
  process.once('SIGTERM', () => {
    stop().catch(console.error);
  });
  process.once('SIGINT', () => {
    stop().catch(console.error);
  });
  process.once('disconnect', () => {
    stop().catch(console.error);
  });
  const rooms = inline ? 'rooms inline on the HTTP thread' : 'rooms in a worker process';
  const mode = libraryLogin ? `${rooms}, library login` : rooms;
  process.stdout.write(`Duel platform at http://${config.HOST}:${config.PORT} (bench, ${mode})\n`);
}

main().catch((err: unknown) => {
  console.error(`bench server failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
