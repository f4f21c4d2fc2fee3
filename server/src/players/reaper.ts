import type { Logger } from 'pino';
import type { PlayerRepository } from './repository.js';

export interface Reaper {
  /** One pass; resolves with how many expired sessions it cleared. */
  runOnce(): Promise<number>;
  stop(): void;
}

export interface ReaperOptions {
  intervalMs: number;
  now: () => number;
  logger: Logger;
  /** Runs for each session the pass ended (its waiting ticket is cancelled there). */
  onSessionEnd?: (username: string) => Promise<unknown>;
}

/** Clears `active` on sessions whose lease has passed, so the mirror tells the truth. */
export function startReaper(
  players: Pick<PlayerRepository, 'reapExpired'>,
  o: ReaperOptions,
): Reaper {
  const pass = async () => {
    const ended = await players.reapExpired(o.now());
    // One by one: a failure to cancel one ticket is logged and never stops the others.
    for (const username of ended) {
      await o.onSessionEnd?.(username).catch((err: unknown) => {
        o.logger.warn({ err, username }, 'expired session: waiting ticket not cancelled');
      });
    }
    return ended.length;
  };
  let running: Promise<number> | undefined;
  const runOnce = () =>
    (running ??= pass().finally(() => {
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
