// Figures 2, 3, 8 and the quiet side of 4: bench players (test/bench/player-cli.ts) in one
// process, queued pair by pair: an idle pair, probe pairs, a pilot pair, and pilot pairs
// behind the impairment layer. Samples are pooled per kind of player.
import { jsonLines, tsx } from './children.js';
import type { PlayerReport } from './player.js';
import type { BenchServer } from './server.js';
import { mean, round, summarize, type Summary } from './stats.js';

export interface NetcodeOptions {
  readonly seconds: number;
  readonly players: readonly string[];
  readonly loss: number;
  readonly delayMs: number;
}

/** Means over the scene's players; null when no player of that kind ran. */
export interface SceneFigures {
  readonly players: number;
  readonly snapshotHz: number | null;
  readonly payloadBytesPerSecond: number | null;
  readonly wireBytesPerSecond: number | null;
  readonly datagramsPerSecond: number | null;
}

export interface NetFigures {
  readonly players: number;
  readonly failed: number;
  readonly errors: readonly string[];
  readonly standard: SceneFigures;
  readonly idle: SceneFigures;
  readonly inputToStateMs: Summary;
  /** The probes' presses and releases only (an input whose buttons differ from the one before). */
  readonly changeToStateMs: Summary;
  /**
   * The probes' input → state p50 per 5 s of match, pooled: a rising figure means inputs
   * wait in the server's queue longer as the match goes on.
   */
  readonly inputToStateP50ByPeriodMs: readonly number[];
  readonly rttMs: Summary;
  /** Pairs queued one after another (no burst): per pair, the second arrival's time to match. */
  readonly pairingMs: Summary;
  readonly connectMs: Summary;
  readonly unimpaired: LinkFigures;
  readonly impaired: LinkFigures & { readonly loss: number; readonly delayMs: number };
}

export interface LinkFigures {
  readonly players: number;
  readonly predictionError: Summary;
  readonly underrunsPerSecond: number | null;
  /** Share of rendered frames whose render point ran past the newest snapshot. */
  readonly underrunFraction: number | null;
  readonly snapshotDelivery: number | null;
  readonly inputToStateMs: Summary;
  readonly rttMs: Summary;
}

function scene(reports: readonly PlayerReport[]): SceneFigures {
  const avg = (f: (r: PlayerReport) => number | undefined) =>
    reports.length === 0 ? null : round(mean(reports.map((r) => f(r) ?? 0)), 1);
  return {
    players: reports.length,
    snapshotHz: avg((r) => r.snapshotHz),
    payloadBytesPerSecond: avg((r) => r.bytesPerSecond),
    wireBytesPerSecond: avg((r) => r.wireBytesPerSecond),
    datagramsPerSecond: avg((r) => r.datagramsPerSecond),
  };
}

const pooled = (
  reports: readonly PlayerReport[],
  pick: (r: PlayerReport) => readonly number[] | undefined,
) => summarize(reports.flatMap((r) => pick(r) ?? []));

function link(reports: readonly PlayerReport[]): LinkFigures {
  const seconds = reports.reduce((n, r) => n + (r.seconds ?? 0), 0);
  const underruns = reports.reduce((n, r) => n + (r.interpolationUnderruns ?? 0), 0);
  const frames = reports.reduce((n, r) => n + (r.framesRendered ?? 0), 0);
  return {
    players: reports.length,
    predictionError: pooled(reports, (r) => r.samples?.predictionError),
    underrunsPerSecond: seconds > 0 ? round(underruns / seconds, 2) : null,
    underrunFraction: frames > 0 ? round(underruns / frames, 4) : null,
    snapshotDelivery: reports.length
      ? round(mean(reports.map((r) => r.snapshotDelivery ?? 0)), 4)
      : null,
    inputToStateMs: pooled(reports, (r) => r.samples?.inputToStateMs),
    rttMs: pooled(reports, (r) => r.samples?.rttMs),
  };
}

/** Inputs go out at 60 Hz, so 300 samples are 5 s of match. */
const PERIOD_SAMPLES = 300;

function byPeriod(reports: readonly PlayerReport[]): number[] {
  const periods: number[][] = [];
  for (const r of reports) {
    (r.samples?.inputToStateMs ?? []).forEach((v, i) => {
      (periods[Math.floor(i / PERIOD_SAMPLES)] ??= []).push(v);
    });
  }
  return periods.filter((p) => p.length >= PERIOD_SAMPLES).map((p) => round(summarize(p).p50, 1));
}

export async function netcode(server: BenchServer, o: NetcodeOptions): Promise<NetFigures> {
  const child = tsx(
    'test/bench/player-cli.ts',
    [
      ...['--url', server.url, '--prefix', 'np', '--seconds', String(o.seconds)],
      ...[
        '--players',
        o.players.join(','),
        '--loss',
        String(o.loss),
        '--delay-ms',
        String(o.delayMs),
      ],
    ],
    (o.seconds + 90) * 1000,
  );
  const { stdout, stderr } = await child.done;
  const reports = jsonLines<PlayerReport>(stdout);
  if (reports.length === 0) throw new Error(`bench players reported nothing:\n${stderr}`);
  const ok = reports.filter((r) => r.result !== 'failed');
  const of = (mode: string, impaired: boolean) =>
    ok.filter((r) => r.mode === mode && r.impaired === impaired);
  const byMatch = new Map<string, number[]>();
  for (const r of ok) {
    if (!r.matchId || r.timeToMatchMs === undefined) continue;
    byMatch.set(r.matchId, [...(byMatch.get(r.matchId) ?? []), r.timeToMatchMs]);
  }
  const unimpaired = ok.filter((r) => !r.impaired);
  return {
    players: reports.length,
    failed: reports.length - ok.length,
    errors: reports.filter((r) => r.result === 'failed').map((r) => r.error ?? '?'),
    standard: scene(of('pilot', false)),
    idle: scene(of('idle', false)),
    inputToStateMs: pooled(of('probe', false), (r) => r.samples?.inputToStateMs),
    changeToStateMs: pooled(of('probe', false), (r) => r.samples?.changeToStateMs),
    inputToStateP50ByPeriodMs: byPeriod(of('probe', false)),
    rttMs: pooled(unimpaired, (r) => r.samples?.rttMs),
    pairingMs: summarize(
      [...byMatch.values()].filter((t) => t.length === 2).map((t) => Math.min(...t)),
    ),
    connectMs: summarize(unimpaired.map((r) => r.connectMs ?? 0)),
    unimpaired: link(of('pilot', false)),
    impaired: { ...link(ok.filter((r) => r.impaired)), loss: o.loss, delayMs: o.delayMs },
  };
}
