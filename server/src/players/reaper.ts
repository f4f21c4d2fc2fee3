import type { Logger } from 'pino';
import type { PlayerRepository } from './repository.js';

export interface Reaper {
  /** One pass; resolves with how many expired sessions it cleared. */
  runOnce(): Promise<number>;
  stop(): void;
}

/** Clears `active` on sessions whose lease has passed, so the mirror tells the truth. */
export function startReaper(
  players: PlayerRepository,
  o: { intervalMs: number; now: () => number; logger: Logger },
): Reaper {
  let running: Promise<number> | undefined;
  const runOnce = () =>
    (running ??= players.reapExpired(o.now()).finally(() => {
      running = undefined;
    }));
  const timer = setInterval(() => {
    runOnce()
      .then((n) => n > 0 && o.logger.info({ cleared: n }, 'cleared expired sessions'))
      .catch((err: unknown) => o.logger.warn({ err }, 'lease reaper pass failed'));
  }, o.intervalMs);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
