// Time to match through HTTP for pairs queued on different processes (issue 13): a NODES=2
// server on the real local Redis (a per-run key prefix, removed after), accounts made and
// logged in beforehand, then pairs one after another: A posts its ticket and waits for
// `waiting` on its stream, B posts, and the figure is B's POST → the later of the two
// `matched` events. B's POST goes over a connection that a process other than A's holds (fresh
// pools tried with `GET /api/me` until one lands there); each process's own /metrics says which
// served the two POSTs, so a pair counts as cross-process only when it was.
//   tsx test/bench/cross-node-match.ts [--pairs N] [--out FILE]
// Figures: docs/performance.md. Bounded: 30 s per pair at most, the server stopped at the end.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { createRtcClient } from '../../server/src/transport/index.js';
import { clearPrefix, SHARED_REDIS_URL, uniquePrefix } from '../support/redis.js';
import { freePortRange } from '../support/ports.js';
import { startServer } from '../support/server-process.js';
import { summarize, type Summary } from './stats.js';

const PASSWORD = 'bench password';
const logger = pino({ level: 'silent' });
const RTC_TIMEOUT_MS = 15_000;
const NODES = 2;
const PAIR_TIMEOUT_MS = 30_000;
/** cognito-local answers `Network error` to a few dozen simultaneous sign-ups: a few at a time. */
const SIGNUP_BATCH = 4;

export interface CrossNodeFigures {
  readonly pairs: number;
  /** Pairs whose two POSTs were served by different processes. */
  readonly crossPairs: number;
  /** B's POST → both `matched`, ms, for the cross-process pairs and the others. */
  readonly cross: Summary;
  readonly same: Summary;
}

/**
 * A fetch with a connection pool of its own (an instance of the class of Node's global undici
 * dispatcher, which Node does not export): its connections are new to the primary.
 */
async function ownPoolFetch(): Promise<typeof fetch> {
  const key = Symbol.for('undici.globalDispatcher.1');
  if (!(key in globalThis)) await fetch('data:,').catch(() => undefined);
  const global = (globalThis as Record<symbol, unknown>)[key] as { constructor: new () => object };
  const dispatcher = new global.constructor();
  return (input, init) => fetch(input, { ...init, dispatcher } as RequestInit);
}

/** Requests of one route each process has served, from its own /metrics. */
async function served(ports: readonly number[], method: string, route: string): Promise<number[]> {
  return Promise.all(
    ports.map(async (port) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      let n = 0;
      for (const line of text.split('\n')) {
        const m = /^duel_http_request_duration_seconds_count\{([^}]*)\} (\d+)/.exec(line);
        const labels = m?.[1] ?? '';
        if (m && labels.includes(`method="${method}"`) && labels.includes(`route="${route}"`))
          n += Number(m[2]);
      }
      return n;
    }),
  );
}

interface Player {
  api: ApiClient;
  token: string;
}

async function makePlayers(url: string, count: number, tag: string): Promise<Player[]> {
  const out: Player[] = [];
  for (let i = 0; i < count; i += SIGNUP_BATCH) {
    const batch = Array.from({ length: Math.min(SIGNUP_BATCH, count - i) }, async (_, j) => {
      const api = new ApiClient(url, await ownPoolFetch());
      const name = `${tag}-${i + j}`;
      await api.signup(name, PASSWORD);
      const { accessToken } = await api.login(name, PASSWORD);
      return { api, token: accessToken };
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** Reads the ticket's stream until `matched` (resolving with when), marking `waiting` seen. */
async function untilMatched(p: Player, ticketId: string, onWaiting: () => void): Promise<number> {
  const signal = AbortSignal.timeout(PAIR_TIMEOUT_MS);
  for await (const e of p.api.matchEvents(p.token, ticketId, signal)) {
    if (e.type === 'waiting') onWaiting();
    else if (e.type === 'matched') return performance.now();
    else throw new Error(`ticket ${e.type}`);
  }
  throw new Error('the stream ended before a match');
}

const postsServed = (ports: readonly number[]) => served(ports, 'POST', '/api/match');
const delta = (after: number[], before: number[]) => after.map((n, k) => n - (before[k] ?? 0));

/**
 * An API client whose keep-alive connection is held by process `node` (index into `ports`):
 * fresh pools, each tried with one `GET /api/me`, until that process served it. The cluster
 * primary's round robin alone does not keep a pair's two players apart: which process gets a
 * new connection depends on every connection opened before it.
 */
async function clientOn(url: string, token: string, ports: number[], node: number) {
  for (let tries = 0; tries < 20; tries++) {
    const api = new ApiClient(url, await ownPoolFetch());
    const before = await served(ports, 'GET', '/api/me');
    await api.me(token);
    const after = await served(ports, 'GET', '/api/me');
    if (delta(after, before)[node] === 1) return api;
  }
  throw new Error(`no connection reached process ${node} in 20 tries`);
}

/** A queues on one process; B, on a connection held by the other, posts and is timed. */
async function onePair(url: string, ports: number[], a: Player, b: Player): Promise<number> {
  const rtc = () => createRtcClient({ logger, timeoutMs: RTC_TIMEOUT_MS });
  const [ra, rb] = [rtc(), rtc()];
  try {
    const [offerA, offerB] = await Promise.all([ra.offerSdp, rb.offerSdp]);
    const before = await postsServed(ports);
    const ticketA = await a.api.requestMatch(a.token, offerA);
    const nodeA = delta(await postsServed(ports), before).indexOf(1);
    let waiting!: () => void;
    const queued = new Promise<void>((r) => (waiting = r));
    const matchedA = untilMatched(a, ticketA.ticketId, () => waiting());
    await queued;
    const bOn = { ...b, api: await clientOn(url, b.token, ports, (nodeA + 1) % ports.length) };
    const postedAt = performance.now();
    const ticketB = await bOn.api.requestMatch(b.token, offerB);
    const matchedB = untilMatched(bOn, ticketB.ticketId, () => undefined);
    return Math.max(await matchedA, await matchedB) - postedAt;
  } finally {
    ra.close();
    rb.close();
  }
}

export async function crossNodeBench(pairs: number): Promise<CrossNodeFigures> {
  const prefix = uniquePrefix();
  const udp = await freePortRange(NODES, 'udp');
  const metricsBase = await freePortRange(NODES, 'tcp');
  const ports = Array.from({ length: NODES }, (_, i) => metricsBase + i);
  const server = await startServer({
    NODES: String(NODES),
    REDIS_URL: SHARED_REDIS_URL,
    CACHE_KEY_PREFIX: prefix,
    RTC_UDP_PORT: String(udp),
    METRICS_PORT: String(metricsBase),
  });
  try {
    const players = await makePlayers(server.url, pairs * 2, `x${Date.now() % 100_000}`);
    const cross: number[] = [];
    const same: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const before = await postsServed(ports);
      const ms = await onePair(server.url, ports, players[2 * i]!, players[2 * i + 1]!);
      const after = await postsServed(ports);
      (delta(after, before).every((n) => n === 1) ? cross : same).push(ms);
    }
    return { pairs, crossPairs: cross.length, cross: summarize(cross), same: summarize(same) };
  } catch (err) {
    process.stderr.write(`server output:\n${server.output()}\n`);
    throw err;
  } finally {
    await server.stop();
    await clearPrefix(SHARED_REDIS_URL, prefix);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { pairs: { type: 'string', default: '40' }, out: { type: 'string' } },
  });
  const figures = await crossNodeBench(Number(values.pairs));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  if (values.out) writeFileSync(values.out, JSON.stringify(figures, null, 2));
}
