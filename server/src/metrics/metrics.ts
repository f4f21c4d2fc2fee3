// The platform's Prometheus metrics, in a registry of its own (never prom-client's global
// one), so several apps can live in one process, as they do in tests.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { CacheLookup, CacheObserver, LookupKind } from '../cache/resilient.js';
import type { MatchedPair } from '../matchmaking/matchmaker.js';
import type { RoomHostStats } from '../match/room-host.js';
import type { Percentiles } from '../match/samples.js';

/** What the metrics read from the rooms (RoomHost). */
export interface RoomStatsSource {
  stats(): Promise<RoomHostStats>;
}

export interface QueueSource {
  queueLength(): Promise<number>;
  onMatched(listener: (pair: MatchedPair) => void): () => void;
}

export class PlatformMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'duel_http_request_duration_seconds',
    help: 'HTTP request latency by matched route pattern (not the raw URL)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'duel_logins_total',
    help: 'Login attempts by outcome: ok, or the error code',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly sessionChecks = new Counter({
    name: 'duel_session_checks_total',
    help: 'Session checks of authenticated calls by how they were served: cache (no DynamoDB write), renewed (one conditional write), refused',
    labelNames: ['served'] as const,
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'duel_cache_lookups_total',
    help: 'Cache reads by what they were for and result (unavailable: the cache failed or was skipped)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  private readonly cacheErrors = new Counter({
    name: 'duel_cache_errors_total',
    help: 'Cache commands that failed (the request was served from DynamoDB)',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });
  private readonly timeToMatch = new Histogram({
    name: 'duel_matchmaking_time_to_match_seconds',
    help: 'Time from a ticket being queued to its pairing',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'duel_' });
  }

  readonly cacheObserver: CacheObserver = {
    lookup: (kind: LookupKind, result: CacheLookup) => this.cacheLookups.inc({ kind, result }),
    error: (op) => this.cacheErrors.inc({ op }),
  };

  /** Queue length on each scrape, and time to match as each pair is made. */
  observeQueue(queue: QueueSource): void {
    const registers = [this.registry];
    new Gauge({
      name: 'duel_matchmaking_queue_length',
      help: 'Tickets waiting for an opponent',
      registers,
      async collect() {
        // With REDIS_URL the queue is in Redis: while it is out of reach the gauge keeps its
        // last value rather than failing the whole scrape (the outage shows as 503s).
        const length = await queue.queueLength().catch(() => undefined);
        if (length !== undefined) this.set(length);
      },
    });
    queue.onMatched((pair) => {
      for (const t of pair.tickets)
        this.timeToMatch.observe((pair.matchedAt - t.enqueuedAt) / 1000);
    });
  }

  /** The rooms' figures, read once per scrape from RoomHost.stats(). */
  observeRooms(rooms: RoomStatsSource, logger: Logger): void {
    let pending: Promise<RoomHostStats | undefined> | undefined;
    // Every collect of one scrape starts in the same tick, so they share one stats() call.
    const stats = () =>
      (pending ??= rooms
        .stats()
        .catch((err: unknown) => {
          logger.warn({ err }, 'room stats unavailable to metrics');
          return undefined;
        })
        .finally(() => {
          pending = undefined;
        }));
    const registers = [this.registry];
    const gauge = (name: string, help: string, pick: (s: RoomHostStats) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const s = await stats();
          if (s) this.set(pick(s));
        },
      });
    // Totals kept by the workers since they started; exported as counters.
    const total = (name: string, help: string, pick: (s: RoomHostStats) => number) =>
      new Counter({
        name,
        help,
        registers,
        async collect() {
          const s = await stats();
          if (!s) return;
          this.reset();
          this.inc(pick(s));
        },
      });
    // Quantiles over the workers' recent sample windows; 1 is the window's maximum.
    const quantiles = (name: string, help: string, pick: (s: RoomHostStats) => Percentiles) =>
      new Gauge({
        name,
        help,
        labelNames: ['quantile'] as const,
        registers,
        async collect() {
          const s = await stats();
          if (!s) return;
          const p = pick(s);
          this.set({ quantile: '0.5' }, p.p50);
          this.set({ quantile: '0.99' }, p.p99);
          this.set({ quantile: '1' }, p.max);
        },
      });
    gauge('duel_matches_live', 'Matches running on this node', (s) => s.matches);
    gauge('duel_match_players', 'Players in matches on this node', (s) => s.players);
    quantiles(
      'duel_room_tick_duration_milliseconds',
      'Time inside one room tick over the recent window, by quantile',
      (s) => s.tickMs,
    );
    // The CloudWatch agent ships this series (infra/lib/cloudwatch-agent.ts, TICK_LAG_METRIC)
    // and the TickLag alarm watches its 0.99 quantile: rename it in both places or neither.
    quantiles(
      'duel_room_tick_lag_milliseconds',
      'How late room ticks started against their schedule over the recent window, by quantile',
      (s) => s.tickLagMs,
    );
    total(
      'duel_room_malformed_datagrams_dropped_total',
      'Data-channel frames that failed to decode and were dropped',
      (s) => s.malformedDropped,
    );
    total(
      'duel_room_inputs_dropped_total',
      'Inputs refused because the player queue was full',
      (s) => s.inputsDropped,
    );
    total(
      'duel_room_worker_failures_total',
      'Room workers that died, failed to start or hung, each replaced by a fresh one',
      (s) => s.workerFailures,
    );
    total(
      'duel_room_snapshot_bytes_total',
      'Snapshot payload bytes sent on state channels',
      (s) => s.snapshotBytes,
    );
  }
}
