// npm run admin -- promote NAME | demote NAME | status | kick NAME
// promote/demote put a user in or out of the Cognito group `admin` (from their next login).
// status lists the live server processes (the node registry in Redis). kick ends a player's
// session (their tokens are refused from the next request on every process), signs them out at
// Cognito, and with Redis cancels their waiting ticket and ends their live match on whichever
// process hosts it. Local mode uses the running server's emulators, or starts the local stack
// for the call; AWS mode uses the ambient AWS credentials.
import { connectAws, type Backends } from './backends.js';
import { username as usernameSchema } from './auth/schemas.js';
import { RedisBus } from './cluster/bus.js';
import { readNodes, type NodeEntry } from './cluster/registry.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { PlayerRepository } from './players/repository.js';

const USAGE = 'usage: npm run admin -- promote NAME | demote NAME | status | kick NAME';
const BUS_TIMEOUT_MS = 3_000;

async function backendsFor(config: Config, logger: Logger): Promise<Backends> {
  if (config.mode.kind === 'aws') return connectAws(config, logger);
  return (await import('./local/index.js')).attachLocal(config, logger);
}

function parseArgs(argv: string[]): { command: string; name?: string } | undefined {
  const [command, name, ...rest] = argv;
  if (rest.length > 0) return undefined;
  if (command === 'status' && name === undefined) return { command };
  if ((command === 'promote' || command === 'demote' || command === 'kick') && name)
    return { command, name };
  return undefined;
}

function printNodes(nodes: readonly NodeEntry[]): void {
  const sorted = [...nodes].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  for (const n of sorted) {
    const drain = n.draining ? ' draining' : '';
    console.log(
      `${n.nodeId}  host ${n.host} udp ${n.udpPort}  matches ${n.matches} players ${n.players}  tick lag p99 ${n.tickLagP99Ms.toFixed(1)} ms${drain}`,
    );
  }
  const matches = nodes.reduce((s, n) => s + n.matches, 0);
  const players = nodes.reduce((s, n) => s + n.players, 0);
  console.log(`${nodes.length} processes, ${matches} matches, ${players} players in matches`);
}

async function status(config: Config): Promise<number> {
  if (!config.REDIS_URL) {
    console.log(
      'no REDIS_URL: the platform is one process (NODES=1); GET /api/admin/status on it shows its entry',
    );
    return 0;
  }
  printNodes(await readNodes(config.REDIS_URL, config.CACHE_KEY_PREFIX));
  return 0;
}

async function kick(config: Config, logger: Logger, name: string): Promise<number> {
  const backends = await backendsFor(config, logger);
  try {
    const players = new PlayerRepository(backends.dynamo, config.PLAYERS_TABLE);
    if (!(await players.get(name))) {
      console.error(`no player named ${name}`);
      return 1;
    }
    const wasOnline = await players.endAnySession(name);
    await backends.idp.signOutEverywhere(name).catch((err: unknown) => {
      logger.warn({ err }, 'provider sign-out failed; the session is ended anyway');
    });
    let ticketCancelled = false;
    let matchEnded: string | null = null;
    if (config.REDIS_URL) {
      const bus = new RedisBus({
        url: config.REDIS_URL,
        prefix: config.CACHE_KEY_PREFIX,
        nodeId: `admin-cli-${process.pid}`,
        logger,
      });
      try {
        await bus.ready;
        const nodes = await readNodes(config.REDIS_URL, config.CACHE_KEY_PREFIX);
        const ask = (nodeId: string, kind: string) =>
          bus.request(nodeId, kind, { username: name }, BUS_TIMEOUT_MS).catch((err: unknown) => {
            logger.warn({ err, nodeId, kind }, 'a process did not answer');
            return null;
          });
        // The tickets are shared in Redis: any one process can cancel a waiting one.
        const [first] = nodes;
        if (first) ticketCancelled = (await ask(first.nodeId, 'admin.cancelWaiting')) === true;
        const ended = await Promise.all(nodes.map((n) => ask(n.nodeId, 'admin.endPlayer')));
        matchEnded = ended.find((m): m is string => typeof m === 'string') ?? null;
      } finally {
        await bus.close();
      }
    } else {
      console.error(
        'no REDIS_URL: the session is ended, but a live match or waiting ticket is only reached through POST /api/admin/players/NAME/kick',
      );
    }
    console.log(JSON.stringify({ username: name, wasOnline, ticketCancelled, matchEnded }));
    return 0;
  } finally {
    await backends.close();
  }
}

async function group(config: Config, logger: Logger, command: string, name: string) {
  const backends = await backendsFor(config, logger);
  try {
    if (command === 'promote') {
      await backends.idp.addToGroup(name, 'admin');
      console.log(`${name} is now in the admin group; it takes effect at their next login.`);
    } else {
      await backends.idp.removeFromGroup(name, 'admin');
      console.log(`${name} is no longer in the admin group; it takes effect at their next login.`);
    }
    return 0;
  } catch (e) {
    const code = (e as { name?: string }).name;
    console.error(
      code === 'UserNotFoundException'
        ? `no user named ${name}`
        : `${command} failed: ${String(e)}`,
    );
    return 1;
  } finally {
    await backends.close();
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    return 2;
  }
  const { command, name } = args;
  if (name !== undefined && !usernameSchema.safeParse(name).success) {
    console.error(`"${name}" is not a username (3-20 characters of A-Z a-z 0-9 _ -)`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  if (command === 'status') return status(config);
  if (name === undefined) return 2;
  if (command === 'kick') return kick(config, logger, name);
  return group(config, logger, command, name);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? `config: ${e.message}` : String(e));
    process.exit(1);
  },
);
