// NODES=3 as `npm start` runs it: a node:cluster primary that starts the emulators once and
// forks three server processes sharing the HTTP port, each with its own room worker and UDP
// port, all on the real Redis (a per-run key prefix). Real bots over real WebRTC, from this
// process, whose requests land on whichever process the primary hands the connection to.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { attachLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import { account, PASSWORD, type Account } from '../support/accounts.js';
import { bot, botCli, type InProcessBot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { freePortRange } from '../support/ports.js';
import {
  clearPrefix,
  requireSharedRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../support/redis.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { waitFor, withDeadline } from '../support/wait.js';

const hasRedis = await requireSharedRedis();
const prefix = uniquePrefix();
const NODES = 3;
const HEARTBEAT_TIMEOUT_MS = 3000;
const FAILED_LOGINS_PER_USER = 9;

interface NodeView {
  nodeId: string;
  host: string;
  udpPort: number;
  matches: number;
  players: number;
  tickLagP99Ms: number;
  draining: boolean;
  pid: number;
  index: number;
}
interface MatchView {
  matchId: string;
  nodeId: string;
  players: { username: string }[];
}

let server: ServerProcess;
let admin: Account;
let udpBase: number;
let metricsBase: number;

beforeAll(async () => {
  if (!hasRedis) return;
  udpBase = await freePortRange(NODES, 'udp');
  metricsBase = await freePortRange(NODES, 'tcp');
  server = await startServer({
    NODES: String(NODES),
    REDIS_URL: SHARED_REDIS_URL,
    CACHE_KEY_PREFIX: prefix,
    RTC_UDP_PORT: String(udpBase),
    METRICS_PORT: String(metricsBase),
    HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
    RATE_LIMIT_USER_PER_MINUTE: String(FAILED_LOGINS_PER_USER),
  });
  const cognito = await attachLocal(loadConfig(server.env), createLogger('silent'));
  try {
    admin = await account(server.url, { admin: cognito, prefix: 'adm' });
  } finally {
    await cognito.close();
  }
}, 120_000);
afterAll(async () => {
  if (!hasRedis) return;
  await server?.stop();
  await clearPrefix(SHARED_REDIS_URL, prefix);
});

const api = () => request(server.url);

/** `npm run admin -- …` from source, with the server's settings. */
async function adminCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/admin-cli.ts', ...args], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: server.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-5000)));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
const status = async (): Promise<NodeView[]> =>
  (await api().get('/api/admin/status').set(admin.auth).expect(200)).body.nodes as NodeView[];
const matches = async (): Promise<MatchView[]> =>
  (await api().get('/api/admin/matches').set(admin.auth).expect(200)).body.matches as MatchView[];
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Every process listed, none draining unless asked. */
const allUp = () =>
  waitFor(
    async () => {
      const nodes = await status();
      return nodes.length === NODES && nodes;
    },
    { what: `${NODES} live processes in the status`, deadlineMs: 60_000 },
  );

/** A pair of in-process bots, started; returns where their match runs. */
async function pair(seconds = 300) {
  const names = [uniqueName('ka'), uniqueName('kb')] as const;
  const bots = names.map((n) => bot(server.url, n, seconds)) as [InProcessBot, InProcessBot];
  await Promise.all(bots.map((b) => b.started));
  const match = await waitFor(
    async () => (await matches()).find((m) => m.players.some((p) => p.username === names[0])),
    { what: 'the new match listed' },
  );
  return { names, bots, match };
}

/** Waits until the status counts `matchId`'s host with at least one match (its heartbeat). */
const counted = (nodeId: string) =>
  waitFor(async () => (await status()).find((n) => n.nodeId === nodeId && n.matches > 0), {
    what: `a match counted on ${nodeId}`,
  });

async function metricsOf(index: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${metricsBase + index}/metrics`);
  return res.text();
}
/** Requests a process served on routes matching `route` (from its own /metrics). */
function served(metrics: string, route: RegExp): number {
  let n = 0;
  for (const line of metrics.split('\n')) {
    const m = /^duel_http_request_duration_seconds_count\{([^}]*)\} (\d+)/.exec(line);
    const labels = m?.[1] ?? '';
    const routeLabel = /route="([^"]*)"/.exec(labels)?.[1] ?? '';
    if (m && route.test(`${/method="([^"]*)"/.exec(labels)?.[1]} ${routeLabel}`)) n += Number(m[2]);
  }
  return n;
}

describe.skipIf(!hasRedis)('NODES=3 on one host', () => {
  it('lists one entry per process: its own index, UDP port RTC_UDP_PORT + i and pid', async () => {
    const nodes = await allUp();
    expect(nodes.map((n) => n.index).sort()).toEqual([0, 1, 2]);
    for (const n of nodes) {
      expect(n).toMatchObject({
        udpPort: udpBase + n.index,
        draining: false,
        matches: expect.any(Number),
        players: expect.any(Number),
        tickLagP99Ms: expect.any(Number),
        host: expect.any(String),
      });
      expect(n.pid).not.toBe(server.pid);
      expect(alive(n.pid)).toBe(true);
    }
    expect(new Set(nodes.map((n) => n.nodeId)).size).toBe(NODES);
  });

  it('20 bots pair into 10 matches spread over at least 2 processes; requests land everywhere', async () => {
    const seen = new Map<string, string>();
    const run = botCli([
      '--url',
      server.url,
      '--username',
      uniqueName('sw'),
      '--password',
      'bot password',
      '--signup',
      '--count',
      '20',
      '--seconds',
      '20',
      '--json',
    ]);
    // While they play, every match is listed with the process that hosts it.
    await waitFor(
      async () => {
        for (const m of await matches())
          if (m.players.some((p) => p.username.startsWith('sw'))) seen.set(m.matchId, m.nodeId);
        return seen.size >= 10;
      },
      { what: '10 live matches of the swarm', deadlineMs: 90_000, intervalMs: 250 },
    );
    const { code, results, stderr } = await run;
    expect(code, stderr).toBe(0);
    expect(results).toHaveLength(20);
    const ids = new Set(results.map((r) => r.matchId));
    expect(ids.size).toBe(10);
    for (const r of results) {
      expect(r.opponent).toBeTruthy();
      expect(seen.has(String(r.matchId))).toBe(true);
    }
    expect(new Set(seen.values()).size).toBeGreaterThanOrEqual(2);
    // Each process served some of the match posts and of the event streams: a bot's POST and
    // its stream often reached different processes, and the events still found it.
    const texts = await Promise.all([0, 1, 2].map(metricsOf));
    const posts = texts.map((t) => served(t, /^POST \/api\/match$/));
    const streams = texts.map((t) => served(t, /^GET \/api\/match\/.+/));
    expect(
      posts.filter((n) => n > 0).length,
      `posts per process ${posts.join(', ')}`,
    ).toBeGreaterThanOrEqual(2);
    expect(
      streams.filter((n) => n > 0).length,
      `streams per process ${streams.join(', ')}`,
    ).toBeGreaterThanOrEqual(2);
    // No ghost ticket: nobody is left waiting.
    const body = (await api().get('/api/admin/status').set(admin.auth).expect(200)).body;
    expect(body.queueLength).toBe(0);
  }, 180_000);

  it('kill -9 of the process hosting a match: its players see the end, queue again at once; the other match plays on; the process is restarted', async () => {
    await allUp();
    const first = await pair();
    await counted(first.match.nodeId);
    // The next pair goes to a process with no match: the least loaded.
    const second = await pair();
    expect(second.match.nodeId).not.toBe(first.match.nodeId);
    const victim = (await status()).find((n) => n.nodeId === first.match.nodeId);
    if (!victim) throw new Error('the hosting process is not listed');
    process.kill(victim.pid, 'SIGKILL');
    // Its players' clients notice the silence (a bound far above HEARTBEAT_TIMEOUT_MS).
    const lost = await withDeadline(
      Promise.all(first.bots.map((b) => b.result)),
      HEARTBEAT_TIMEOUT_MS * 5,
      'the players of the killed process see their match end',
    );
    for (const r of lost) expect(r.result).not.toBe('played');
    // They can queue again at once, and play, with no stale "in a match" anywhere.
    const again = first.names.map((n) => bot(server.url, n, 2));
    await Promise.all(again.map((b) => b.started));
    const replay = await Promise.all(again.map((b) => b.result));
    // Each played its seconds; whoever left second saw the other leave first.
    expect(replay.map((r) => r.result)).toContain('played');
    for (const r of replay) expect(['played', 'opponent_left']).toContain(r.result);
    expect(replay[0]?.matchId).not.toBe(first.match.matchId);
    // The other match was untouched.
    expect((await matches()).map((m) => m.matchId)).toContain(second.match.matchId);
    // The primary restarted the process: same index, a new pid and nodeId.
    const nodes = await allUp();
    const successor = nodes.find((n) => n.index === victim.index);
    expect(successor?.pid).not.toBe(victim.pid);
    expect(nodes.map((n) => n.nodeId)).not.toContain(victim.nodeId);
    await api().post(`/api/admin/matches/${second.match.matchId}/end`).set(admin.auth).expect(204);
    expect((await Promise.all(second.bots.map((b) => b.result))).map((r) => r.result)).toEqual([
      'ended',
      'ended',
    ]);
  }, 120_000);

  it('SIGUSR2 drains one process: its match finishes, new pairs go elsewhere', async () => {
    const nodes = await allUp();
    const running = await pair();
    const drained = nodes.find((n) => n.nodeId === running.match.nodeId);
    if (!drained) throw new Error('the hosting process is not listed');
    process.kill(drained.pid, 'SIGUSR2');
    await waitFor(async () => (await status()).find((n) => n.nodeId === drained.nodeId)?.draining, {
      what: 'the process shown draining',
    });
    for (let i = 0; i < 2; i++) {
      const next = await pair(1);
      expect(next.match.nodeId).not.toBe(drained.nodeId);
      await Promise.all(next.bots.map((b) => b.result));
    }
    // The match already there goes on until it ends.
    expect((await matches()).map((m) => m.matchId)).toContain(running.match.matchId);
    await api().post(`/api/admin/matches/${running.match.matchId}/end`).set(admin.auth).expect(204);
    await Promise.all(running.bots.map((b) => b.result));
  }, 120_000);

  it('a login flood spread over the processes meets one shared limit', async () => {
    const name = uniqueName('fl');
    await api().post('/api/auth/signup').send({ username: name, password: PASSWORD }).expect(201);
    const before = await Promise.all([0, 1, 2].map(metricsOf));
    const statuses: number[] = [];
    // Sequential, one connection each: the primary deals them out over the processes.
    for (let i = 0; i < FAILED_LOGINS_PER_USER * 2; i++) {
      const res = await request(server.url)
        .post('/api/auth/login')
        .set('connection', 'close')
        .send({ username: name, password: 'wrong guess' });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(FAILED_LOGINS_PER_USER);
    expect(statuses.filter((s) => s === 429)).toHaveLength(FAILED_LOGINS_PER_USER);
    const after = await Promise.all([0, 1, 2].map(metricsOf));
    const logins = after.map(
      (t, i) =>
        served(t, /^POST \/api\/auth\/login$/) -
        served(before[i] ?? '', /^POST \/api\/auth\/login$/),
    );
    expect(
      logins.filter((n) => n > 0).length,
      `logins per process ${logins.join(', ')}`,
    ).toBeGreaterThanOrEqual(2);
  });

  it('admin CLI: status lists every process; kick ends a match wherever it runs; demote', async () => {
    const nodes = await allUp();
    const shown = await adminCli(['status']);
    expect(shown.code, shown.stderr).toBe(0);
    for (const n of nodes) expect(shown.stdout).toContain(n.nodeId);
    expect(shown.stdout).toContain(`${NODES} processes`);
    const live = await pair();
    const kicked = await adminCli(['kick', live.names[1]]);
    expect(kicked.code, kicked.stderr).toBe(0);
    expect(JSON.parse(kicked.stdout.trim())).toEqual({
      username: live.names[1],
      wasOnline: true,
      ticketCancelled: false,
      matchEnded: live.match.matchId,
    });
    const ended = await Promise.all(live.bots.map((b) => b.result));
    expect(ended.map((r) => r.result)).toEqual(['ended', 'ended']);
    const demoted = await adminCli(['demote', admin.name]);
    expect(demoted.code, demoted.stderr).toBe(0);
    // Groups reach the token at login: the next login is no longer an admin's.
    const login = async (current: Account) => {
      await api().post('/api/auth/logout').set(current.auth).expect(204);
      const res = await request(server.url)
        .post('/api/auth/login')
        .send({ username: admin.name, password: PASSWORD })
        .expect(200);
      const token = String(res.body.accessToken);
      return { ...admin, token, auth: { authorization: `Bearer ${token}` } };
    };
    const demotedLogin = await login(admin);
    await api().get('/api/admin/status').set(demotedLogin.auth).expect(403);
    const promoted = await adminCli(['promote', admin.name]);
    expect(promoted.code, promoted.stderr).toBe(0);
    admin = await login(demotedLogin);
    await api().get('/api/admin/status').set(admin.auth).expect(200);
  }, 120_000);

  it('SIGTERM on the primary: every player told server_stopping, the whole tree exits', async () => {
    const nodes = await allUp();
    const live = await pair();
    server.child.kill('SIGTERM');
    const results = await Promise.all(live.bots.map((b) => b.result));
    expect(results.map((r) => r.result)).toEqual(['server_stopping', 'server_stopping']);
    expect(await server.exited).toBe(0);
    for (const n of nodes) await waitFor(() => !alive(n.pid), { what: `process ${n.pid} gone` });
  });
});
