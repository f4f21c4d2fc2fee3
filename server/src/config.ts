// Every setting the platform reads, in one place: read once, validated with zod, frozen.
// Nothing else in the codebase touches process.env (an ESLint rule enforces it).
import { accessSync, constants, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `an integer between ${min} and ${max}` })
    .int(`an integer between ${min} and ${max}`)
    .min(min, `an integer between ${min} and ${max}`)
    .max(max, `an integer between ${min} and ${max}`);
const port = int(1, 65535);
const bool = z
  .enum(['true', 'false', '1', '0'], { error: 'true or false' })
  .transform((v) => v === 'true' || v === '1');
const ip = z.string().refine((v) => isIP(v) !== 0, 'an IPv4 or IPv6 address');
const url = z.url({ error: 'a URL such as http://127.0.0.1:8000' });
// RFC 7065 turn:/turns: URI: host or [IPv6], optional port, optional ?transport=udp|tcp.
const turnUrl = /^turns?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/;
const turnUrls = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim()))
  .refine((urls) => urls.every((u) => turnUrl.test(u)), 'comma-separated turn: or turns: URLs')
  .transform((urls) => Object.freeze(urls));
/** A file this process can read now: a bad path fails at start-up, not at the first handshake. */
const readableFile = z.string().refine((path) => {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}, 'a readable file');
const name = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)');

const schema = z.object({
  /** HTTP listen port. */
  PORT: port.default(8080),
  /** With TLS_KEY_FILE: PORT serves HTTPS with this PEM certificate (chain). */
  TLS_CERT_FILE: readableFile.optional(),
  /** With TLS_CERT_FILE: the PEM private key of that certificate. */
  TLS_KEY_FILE: readableFile.optional(),
  /** HTTP listen address. */
  HOST: z.string().min(1, 'a host name or address').default('127.0.0.1'),
  /** Local mode: where the emulators keep their files. */
  DATA_DIR: z.string().min(1, 'a directory path').default('.data'),
  /** Local mode: DynamoDB emulator port (127.0.0.1). */
  LOCAL_DYNAMODB_PORT: port.default(8000),
  /** Local mode: Cognito emulator port (127.0.0.1). */
  LOCAL_COGNITO_PORT: port.default(9229),
  /** AWS mode: region of the user pool and tables. */
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
    .optional(),
  /** AWS mode is on when this is set. */
  COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'a user pool id such as eu-west-1_AbC123')
    .optional(),
  /** AWS mode: app client id (no secret). */
  COGNITO_CLIENT_ID: z
    .string()
    .regex(/^[\w+]+$/, 'an app client id')
    .optional(),
  /** Optional DynamoDB endpoint override (e.g. DynamoDB Local). */
  DYNAMODB_ENDPOINT: url.optional(),
  /** Table of players. */
  PLAYERS_TABLE: name.default('players'),
  /** Table of match results. */
  MATCHES_TABLE: name.default('matches'),
  /** AWS mode: the SQS queue of match results (a Lambda applies them). Unset: the local queue. */
  EVENTS_QUEUE_URL: z
    .url({ protocol: /^https?$/, error: 'an SQS queue URL (https://…)' })
    .optional(),
  /** AWS mode: that queue's dead-letter queue, listed and replayed by the admin API. */
  EVENTS_DLQ_URL: z.url({ protocol: /^https?$/, error: 'an SQS queue URL (https://…)' }).optional(),
  /** Local results queue: failed attempts before a result becomes a dead letter. */
  RESULTS_MAX_ATTEMPTS: int(1, 1000).default(10),
  /** Local results queue: wait after a first failure, doubled per failure up to the max. */
  RESULTS_RETRY_BASE_MS: int(1, 600_000).default(250),
  /** Local results queue: longest wait between two attempts. */
  RESULTS_RETRY_MAX_MS: int(1, 3_600_000).default(5000),
  /** Single-login lease length, renewed by authenticated calls (at most once per quarter of it). */
  LEASE_SECONDS: int(2, 86_400).default(60),
  /**
   * Per-node session cache: between lease renewals the session check is served from memory,
   * invalidated on every node when a session changes. false: every call writes to DynamoDB.
   */
  SESSION_CACHE: bool.default(true),
  /** Length of a match until its time limit. */
  MATCH_SECONDS: int(10, 3600).default(180),
  /** A silent client is dropped after this. */
  HEARTBEAT_TIMEOUT_MS: int(100, 600_000).default(3000),
  /**
   * A player whose channels drop mid-match (closed, or silent past HEARTBEAT_TIMEOUT_MS) keeps
   * their seat this long, the match paused, for a rejoin; then the opponent wins. 0: no hold.
   */
  RECONNECT_GRACE_MS: int(0, 600_000).default(10_000),
  /** One UDP port for all WebRTC peers (ICE UDP mux). */
  RTC_UDP_PORT: port.default(10000),
  /** Address announced in ICE candidates (EC2 1:1 NAT). */
  PUBLIC_IP: ip.optional(),
  /** Optional TURN relay, e.g. turn:turn.example.org:3478?transport=udp (with TURN_SECRET). */
  TURN_URLS: turnUrls.optional(),
  /** Shared secret of the TURN REST API scheme (coturn static-auth-secret), with TURN_URLS. */
  TURN_SECRET: z.string().min(16, 'a secret of at least 16 characters').optional(),
  /** Server processes on this host (node:cluster); more than 1 requires REDIS_URL. */
  NODES: int(1, 64).default(1),
  /** Internal: set by the cluster primary on each process it forks (its index, 0-based). */
  NODE_INDEX: int(0, 63).optional(),
  /** Optional Redis: matchmaking, tickets, the cache and rate limits shared by every node. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).optional(),
  /** Seconds a cached leaderboard page or public profile may be served. */
  CACHE_TTL_SECONDS: int(1, 86_400).default(30),
  /** Prefix of every key in Redis (cache, mm: queue, sig: tickets), so deployments or test runs share one. */
  CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'up to 64 of A-Z a-z 0-9 : _ . -')
    .default('duel:'),
  /** When set, /metrics is served only on this port (at METRICS_HOST), never on PORT. */
  METRICS_PORT: port.optional(),
  /** Listen address of METRICS_PORT: keep it private (loopback or a VPC address). */
  METRICS_HOST: z.string().min(1, 'a host name or address').default('127.0.0.1'),
  /** When true, unknown user and wrong password both answer invalid_credentials. */
  AUTH_MERGE_LOGIN_ERRORS: bool.default(false),
  /** Proxies in front of the server whose X-Forwarded-For entries are trusted (ALB = 1, CloudFront+ALB = 2). */
  TRUST_PROXY_HOPS: int(0, 10).default(0),
  /** Sign-up and login attempts per client IP per minute (each route separately). */
  RATE_LIMIT_IP_PER_MINUTE: int(1, 1_000_000).default(60),
  /** Failed logins per username per minute from all clients together (the looser limit). */
  RATE_LIMIT_USER_PER_MINUTE: int(1, 1_000_000).default(100),
  /** Failed logins per username per minute from one client IP (the strict limit). */
  RATE_LIMIT_USER_IP_PER_MINUTE: int(1, 1_000_000).default(10),
  /** Signalling (matchmaking) requests per user per minute. */
  RATE_LIMIT_SIGNAL_PER_MINUTE: int(1, 1_000_000).default(60),
  /** Authenticated requests per user (the access token's sub) per minute, on every route. */
  RATE_LIMIT_AUTHED_PER_MINUTE: int(1, 1_000_000).default(300),
  /** Public reads (leaderboard pages, profiles) per client IP per minute. */
  RATE_LIMIT_PUBLIC_PER_MINUTE: int(1, 1_000_000).default(300),
  /**
   * Nice value of the room processes (-20 to 0), opt-in: below 0 the OS runs their ticks ahead
   * of logins and REST when the cores are busy, at the cost of more CPU per player. Needs
   * CAP_SYS_NICE; without it they keep the priority they were started with.
   */
  ROOM_NICE: int(-20, 0).default(0),
  /**
   * SCHED_FIFO priority (1-99) of the room processes' own threads, opt-in (0: off): a due tick
   * then runs the moment it wakes, however busy the cores. libdatachannel's threads keep normal
   * scheduling. Needs CAP_SYS_NICE or an RLIMIT_RTPRIO this high, and util-linux's chrt.
   */
  ROOM_RT_PRIORITY: int(0, 99).default(0),
  /** Test-only: SIGUSR2 makes the room worker fail this way (uncaught throw, rejection, hang). */
  ROOM_FAULT_INJECTION: z.enum(['off', 'throw', 'reject', 'hang']).default('off'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.infer<typeof schema>;

export type Mode =
  { kind: 'local' } | { kind: 'aws'; region: string; userPoolId: string; clientId: string };

export type Config = Readonly<
  Omit<Env, 'AWS_REGION' | 'COGNITO_USER_POOL_ID' | 'COGNITO_CLIENT_ID'> & { mode: Mode }
>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the settings; throws ConfigError with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "unset", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(
    Object.keys(schema.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '?');
    throw new ConfigError(
      `${key} must be ${issue?.message ?? 'valid'} (got ${JSON.stringify(env[key])})`,
    );
  }
  const { AWS_REGION, COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, ...rest } = parsed.data;
  if (!rest.TURN_URLS !== !rest.TURN_SECRET)
    throw new ConfigError('TURN_URLS and TURN_SECRET must be set together, or neither');
  // A certificate without its key (or the reverse) is a half-done deployment, not plain HTTP.
  if ((rest.TLS_CERT_FILE === undefined) !== (rest.TLS_KEY_FILE === undefined)) {
    const missing = rest.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
    const other = missing === 'TLS_CERT_FILE' ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    throw new ConfigError(`${missing} must be set when ${other} is set`);
  }
  // Processes of one host find each other, and share matchmaking, only through Redis.
  if (rest.NODES > 1 && rest.REDIS_URL === undefined)
    throw new ConfigError(
      `REDIS_URL must be set when NODES is more than 1 (got NODES=${rest.NODES})`,
    );
  let mode: Mode = { kind: 'local' };
  if (COGNITO_USER_POOL_ID) {
    if (!COGNITO_CLIENT_ID)
      throw new ConfigError('COGNITO_CLIENT_ID must be set when COGNITO_USER_POOL_ID is set');
    const region = AWS_REGION ?? COGNITO_USER_POOL_ID.split('_')[0];
    if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw new ConfigError('AWS_REGION must be set in AWS mode (an AWS region such as eu-west-1)');
    }
    mode = { kind: 'aws', region, userPoolId: COGNITO_USER_POOL_ID, clientId: COGNITO_CLIENT_ID };
  }
  return Object.freeze({ ...rest, mode: Object.freeze(mode) });
}

/**
 * glibc malloc settings of the room process, each unless the operator set it:
 * - MALLOC_ARENA_MAX=2: libdatachannel's threads (RTC worker, juice, SCTP timer) each get an
 *   arena of their own otherwise, and every arena keeps its freed pages: two arenas cut the
 *   RSS of an idle peer from about 270 to about 245 KB (docs/performance.md, round 2).
 * - MALLOC_TRIM_THRESHOLD_=65536 and MALLOC_TOP_PAD_=0: hand freed memory at the top of a heap
 *   back to the system from 64 KB instead of glibc's adaptive threshold (which climbs to 32 MB),
 *   and ask for no extra padding when a heap grows: about 20 KB less per idle peer (240-248 →
 *   219-227 KB, alternated runs of test/bench/peer-memory.ts), with no CPU cost seen at 100
 *   players (docs/performance.md, round 8).
 */
export const ROOM_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: '65536',
  MALLOC_TOP_PAD_: '0',
};

/** The room process's environment: the parent's, with ROOM_MALLOC_ENV where it sets none. */
export function roomProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...ROOM_MALLOC_ENV, ...env };
}
