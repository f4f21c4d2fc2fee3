// What a run records: the machine it ran on, every scenario's figures (the JSON written to
// bench/results/), and the headline figures with their targets (figures.ts).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import type { AuthFigures } from './auth.js';
import type { ClusterFigures } from './cluster.js';
import type { CrossNodeFigures } from './cross-node-match.js';
import type { GeckosRow } from './geckos.js';
import type { SctpFigures } from './sctp-acks.js';
import type { JitterFigures } from './jitter.js';
import type { RedisMatchmakingFigures } from './matchmaking-redis.js';
import type { jwtBench, matchHeapBench, matchmakerBench, SimFigures } from './micro.js';
import type { NetFigures } from './netcode.js';
import type { ProfileSummary } from './profile.js';
import type { Idle, RampStep } from './ramp.js';
import type { LoadFigures } from './rest.js';
import { round, type Summary } from './stats.js';

/** 1 KB = 1024 B, as /proc counts memory. */
export const KB = 1024;
/** A tick "runs late" once the tick lag p99 passes half a tick at 60 Hz. */
export const LATE_TICK_LAG_MS = 1000 / 60 / 2;

export interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly ramGb: number;
  readonly node: string;
  readonly kernel: string;
  /** 1-minute load average when the run started and ended (other work on the machine). */
  readonly loadavgStart: number;
  loadavgEnd?: number;
  /** Whole-machine CPU busy over the run, % of one core. */
  machineBusyPercent?: number;
}

export function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: availableParallelism(),
    cpuModel: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    ramGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    kernel: release(),
    loadavgStart: round(loadavg()[0] ?? 0, 2),
  };
}

/** RSS of N loopback connections (client and server peers) in one process, no game. */
export interface PeerMemoryFigures {
  connections: number;
  peers: number;
  rssKbBefore: number;
  rssKbAfter: number;
  kbPerPeer: number;
}

export interface Results {
  readonly version: 1;
  readonly mode: 'full' | 'quick' | 'smoke';
  readonly startedAt: string;
  finishedAt?: string;
  durationSec?: number;
  readonly machine: Machine;
  readonly constants: Record<string, unknown>;
  sim?: SimFigures;
  jwt?: Awaited<ReturnType<typeof jwtBench>>;
  matchHeap?: ReturnType<typeof matchHeapBench>;
  matchmaker?: {
    inMemory: Awaited<ReturnType<typeof matchmakerBench>>;
    redis: RedisMatchmakingFigures | null;
    redisNote?: string;
  };
  ramp?: {
    idle: Idle;
    steps: RampStep[];
    botProcesses: string;
    /** The step that could not be measured, and why; the steps before it are kept. */
    stoppedAt?: { players: number; error: string };
  };
  peerMemory?: PeerMemoryFigures;
  /** The same transport with glibc's default malloc settings: the reference for peerMemory. */
  peerMemoryDefaultArenas?: PeerMemoryFigures;
  netcode?: NetFigures;
  rest?: {
    calibration: LoadFigures;
    /** Absent in runs before 2026-12-04. */
    expressHelmet?: LoadFigures;
    me: LoadFigures;
    login: Summary;
    logout: Summary;
  };
  jitter?: { worker?: JitterFigures; inline?: JitterFigures };
  auth?: AuthFigures;
  /** Time to match for pairs queued on different processes (NODES=2, through HTTP). */
  crossNode?: CrossNodeFigures;
  /** The same bot load on NODES=1 and NODES=2. */
  cluster?: ClusterFigures[];
  /** SCTP acknowledgements: the platform's delayed SACK beside libdatachannel's. */
  sctp?: SctpFigures;
  /** The platform beside a geckos.io server of the same scene, per number of players. */
  geckos?: GeckosRow[];
  profile?: (ProfileSummary & { phase: 'rest' | 'login' | 'play' })[];
  figures?: Figure[];
}

export interface Figure {
  readonly id: string;
  readonly label: string;
  readonly value: number | null;
  readonly unit: string;
  readonly target?: { readonly op: '<=' | '>='; readonly value: number; readonly text: string };
  /** ✓ met, ✗ missed, – no target or not measured. */
  readonly status: '✓' | '✗' | '–';
  /** value ÷ target. */
  readonly ratio?: number;
  readonly where: string;
}
