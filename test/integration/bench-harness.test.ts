// The benchmark harness works end to end: a smoke run (a few bots and bench players for a few
// seconds, one server, every scenario but the inline-rooms restart) writes its JSON and prints
// its table. Its figures are printed, never asserted: speed belongs to the benchmark.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

type Json = Record<string, unknown>;

/** The value at a dotted path, e.g. `ramp.steps.0.bots.n`. */
function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Json | undefined)?.[k], obj);
}

describe('npm run bench -- --smoke', () => {
  let out: string | undefined;
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('runs every scenario, writes the JSON and prints the table', async () => {
    out = await mkdtemp(join(tmpdir(), 'duel-bench-smoke-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/bench/run.ts', '--smoke', '--out', out],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-20_000)));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);

    console.log(stdout); // the figures, for the record
    expect(stdout).toContain(
      '| Figure | Value | Target | Status (value ÷ target) | Where it ran |',
    );

    const files = (await readdir(out)).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.json$/);
    const r = JSON.parse(await readFile(join(out, files[0] ?? ''), 'utf8')) as Json;

    expect(r.mode).toBe('smoke');
    const numbers = [
      'machine.nproc',
      'machine.ramGb',
      'sim.usPerTick',
      'sim.payloadBytesPerSecond',
      'jwt.usPerVerify',
      'matchmaker.inMemory.pairsPerSecond',
      'matchmaker.redis.ticketsPerSecond',
      'matchmaker.redis.crossNodeMatchMs.p99',
      'ramp.idle.rssKb',
      'ramp.steps.0.cpuMsPerPlayerSecond',
      'ramp.steps.0.rssKbPerPlayer',
      'ramp.steps.0.tickLagMs.p99',
      'ramp.steps.0.bots.connectMs.p99',
      'ramp.steps.0.bots.timeToMatchMs.p99',
      'netcode.idle.payloadBytesPerSecond',
      'netcode.idle.wireBytesPerSecond',
      'netcode.inputToStateMs.p99',
      'netcode.rttMs.p99',
      'netcode.impaired.predictionError.p99',
      'netcode.impaired.snapshotDelivery',
      'rest.me.requestsPerSecond',
      'rest.calibration.requestsPerSecond',
      'rest.login.p99',
      'jitter.worker.tickLagMs.p99',
      'jitter.worker.rest.requestsPerSecond',
    ];
    for (const path of numbers) {
      const v = at(r, path);
      expect(typeof v === 'number' && Number.isFinite(v), `${path} = ${String(v)}`).toBe(true);
    }
    // The load really ran: every bot and bench player played, requests were answered.
    expect(at(r, 'ramp.steps.0.bots.n')).toBe(4);
    expect(at(r, 'ramp.steps.0.bots.failed')).toBe(0);
    expect(at(r, 'netcode.failed')).toBe(0);
    expect(at(r, 'rest.me.ok')).toBeGreaterThan(0);
    expect(at(r, 'rest.me.non2xx')).toBe(0);

    const figures = r.figures as { id: string; value: number | null; status: string }[];
    expect(figures.length).toBeGreaterThan(20);
    for (const f of figures) {
      expect(['✓', '✗', '–']).toContain(f.status);
      if (f.value !== null) expect(Number.isFinite(f.value), f.id).toBe(true);
    }
  }, 120_000);
});
