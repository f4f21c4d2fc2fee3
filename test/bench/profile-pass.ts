// The profiling pass of a full run: the server under `node --cpu-prof`, loaded by REST, then
// (another server) by play; only the samples taken during the load are summarised.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { formatProfile, monotonicUs, summarizeDir, type Span } from './profile.js';
import { progress, sleep } from './progress.js';
import { allPlaying, BOT_PASSWORD, botNames, finishBots, spawnBots } from './ramp.js';
import type { Results } from './report.js';
import { autocannon, ensureAccounts, loggedIn } from './rest.js';
import { startBenchServer, type BenchServer } from './server.js';

type Phase = 'rest' | 'login' | 'play';

/** Puts the server under one kind of load; returns when it is over. */
async function load(phase: Phase, server: BenchServer, mark: () => () => void): Promise<void> {
  const api = new ApiClient(server.url);
  if (phase === 'rest') {
    const token = await loggedIn(api, { username: 'prof-me', password: 'bench password' });
    progress('profile rest: GET /api/me × 50 connections for 8 s');
    const done = mark();
    await autocannon(`${server.url}/api/me`, { connections: 50, seconds: 8, token });
    done();
  } else if (phase === 'login') {
    const account = { username: 'prof-login', password: 'bench password' };
    await loggedIn(api, account).then((t) => api.logout(t));
    progress('profile login: logins and logouts, one at a time, for 6 s');
    const done = mark();
    const until = performance.now() + 6_000;
    while (performance.now() < until) {
      await api.logout((await api.login(account.username, account.password)).accessToken);
    }
    done();
  } else {
    await ensureAccounts(api, botNames(50, 'pb'), BOT_PASSWORD);
    const bots = await spawnBots(server.url, 50, 'pb');
    await allPlaying(server, 50);
    progress('profile play: 50 players for 10 s');
    const done = mark();
    await sleep(10_000);
    done();
    await finishBots(server, bots);
  }
}

/**
 * Profiles the server (every thread) under GET /api/me load, under logins, and under play,
 * each on a server of its own, counting only the samples of the load itself (not start-up,
 * the bots' logins or shutdown). No figures come from these runs: the profiler slows them.
 */
export async function profilePass(
  r: Results,
  out: string,
  stamp: string,
  phases: readonly Phase[] = ['rest', 'login', 'play'],
): Promise<void> {
  r.profile = [];
  for (const phase of phases) {
    const dir = join(out, `profile-${stamp}`, phase);
    mkdirSync(dir, { recursive: true });
    progress(`profile ${phase}: server with --cpu-prof (${dir})`);
    const server = await startBenchServer({ cpuProfDir: dir });
    let span: Span | undefined;
    const mark = () => {
      const fromUs = monotonicUs();
      return () => void (span = { fromUs, toUs: monotonicUs() });
    };
    try {
      await load(phase, server, mark);
    } finally {
      await server.stop();
    }
    const summaries = summarizeDir(dir, 15, span).map((p) => ({ ...p, phase }));
    r.profile.push(...summaries);
    for (const p of summaries) process.stderr.write(`[${phase}] ${formatProfile(p)}\n`);
  }
}
