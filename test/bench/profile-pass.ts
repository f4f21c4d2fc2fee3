// The profiling pass of a full run: the server under `node --cpu-prof`, loaded by REST, then
// (another server) by play; only the samples taken during the load are summarised.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { formatProfile, monotonicUs, summarizeDir, type Span } from './profile.js';
import { progress, sleep } from './progress.js';
import { allPlaying, finishBots, spawnBots } from './ramp.js';
import type { Results } from './report.js';
import { autocannon, loggedIn } from './rest.js';
import { startBenchServer } from './server.js';

/**
 * Profiles the server (every thread) under REST load, then, separately, under play, counting
 * only the samples of the load itself. No figures come from these runs.
 */
export async function profilePass(r: Results, out: string, stamp: string): Promise<void> {
  r.profile = [];
  for (const phase of ['rest', 'play'] as const) {
    const dir = join(out, `profile-${stamp}`, phase);
    mkdirSync(dir, { recursive: true });
    progress(`profile ${phase}: server with --cpu-prof (${dir})`);
    const server = await startBenchServer({ cpuProfDir: dir });
    let span: Span | undefined;
    try {
      if (phase === 'rest') {
        const api = new ApiClient(server.url);
        const token = await loggedIn(api, { username: 'prof-me', password: 'bench password' });
        progress('profile rest: GET /api/me × 50 connections for 8 s');
        const fromUs = monotonicUs();
        await autocannon(`${server.url}/api/me`, { connections: 50, seconds: 8, token });
        span = { fromUs, toUs: monotonicUs() };
      } else {
        const bots = spawnBots(server.url, 50, 'pb');
        await allPlaying(server, 50);
        progress('profile play: 50 players for 10 s');
        const fromUs = monotonicUs();
        await sleep(10_000);
        span = { fromUs, toUs: monotonicUs() };
        await finishBots(server, bots);
      }
    } finally {
      await server.stop();
    }
    // Only the load: not start-up, logins or shutdown.
    const summaries = summarizeDir(dir, 15, span).map((p) => ({ ...p, phase }));
    r.profile.push(...summaries);
    for (const p of summaries) process.stderr.write(`[${phase}] ${formatProfile(p)}\n`);
  }
}
