// Measurements through the page's test hook. Each waits on events (frames drawn, snapshots
// received), never on a clock, and returns figures to print; none is asserted.
import { waitFor } from '../support/wait.js';
import type { PageGlobal, Player } from './players.js';

interface Marks {
  /** The ship's lives when the sample began: a sample in which it was destroyed is void. */
  lives?: number;
  predicted?: number;
  authoritative?: number;
  /** On the opponent's page: absolute time (timeOrigin + now) of the first changed frame. */
  opponent?: number;
}
type Measuring = PageGlobal & { __marks: Marks };

/** Frames per second, from the timestamps of `frames` consecutive drawn frames. */
export function measureFps(p: Player, frames: number): Promise<number> {
  return p.page.evaluate(
    (n) =>
      new Promise<number>((resolve) => {
        let count = 0;
        let first = 0;
        const off = (globalThis as unknown as Measuring).__duel.onDraw((_frame, at) => {
          if (count++ === 0) first = at;
          if (count <= n) return;
          off();
          resolve((n * 1000) / (at - first));
        });
      }),
    frames,
  );
}

/**
 * Arms the watchers in the player's page: the first drawn and the first authoritative frame
 * in which the ship has turned `dir` (+1 right, −1 left) from where it was.
 */
function armLocal(p: Player, dir: number): Promise<boolean> {
  return p.page.evaluate((dir) => {
    const g = globalThis as unknown as Measuring;
    // Turned the short way round the 256-step circle, in the expected direction.
    const turned = (from: number, to: number) =>
      (((((to - from + 128) % 256) + 256) % 256) - 128) * dir > 0;
    const h = g.__duel;
    const you = h.info()?.you;
    const drawn = h.drawn().frame;
    const latest = h.latest();
    if (you === undefined || !drawn || !latest || drawn.ships[you].respawnTicks > 0) return false;
    const marks: Marks = { lives: latest.ships[you].lives };
    g.__marks = marks;
    const shown = drawn.ships[you].heading;
    const known = latest.ships[you].heading;
    const offDraw = h.onDraw((f, at) => {
      if (!f || !turned(shown, f.ships[you].heading)) return;
      marks.predicted = at;
      offDraw();
    });
    const offSnap = h.onSnapshot((v, at) => {
      if (!v || !turned(known, v.ships[you].heading)) return;
      marks.authoritative = at;
      offSnap();
    });
    return true;
  }, dir);
}

/** Arms the opponent's watcher: the first frame drawn with `slot`'s ship turned `dir`. */
function armOpponent(p: Player, slot: number, dir: number): Promise<void> {
  return p.page.evaluate(
    ({ s, dir }) => {
      const g = globalThis as unknown as Measuring;
      const turned = (from: number, to: number) =>
        (((((to - from + 128) % 256) + 256) % 256) - 128) * dir > 0;
      const marks: Marks = {};
      g.__marks = marks;
      const shown = g.__duel.drawn().frame?.ships[s as 0 | 1].heading ?? 0;
      const off = g.__duel.onDraw((f, at) => {
        if (!f || !turned(shown, f.ships[s as 0 | 1].heading)) return;
        marks.opponent = g.performance.timeOrigin + at;
        off();
      });
    },
    { s: slot, dir },
  );
}

/**
 * Waits until the player's own screen agrees with the server about its heading, and the
 * opponent's screen shows that same heading. Both sides are re-read on every poll: the
 * authoritative heading can still move after the key is up (a tick played on held buttons
 * before the release arrived, or a respawn), so a value read once may never be drawn.
 */
async function settle(player: Player, opponent: Player, slot: number): Promise<void> {
  type Seen = number | 'over' | null;
  const read = (p: Player, authoritative: boolean) =>
    p.page.evaluate(
      ({ s, authoritative }): Seen => {
        const h = (globalThis as unknown as Measuring).__duel;
        if (h.info() === undefined) return 'over';
        const drawn = h.drawn().frame?.ships[s as 0 | 1].heading;
        if (!authoritative) return drawn ?? null;
        const latest = h.latest()?.ships[s as 0 | 1].heading;
        return latest !== undefined && latest === drawn ? latest : null;
      },
      { s: slot, authoritative },
    );
  await waitFor(
    async () => {
      const mine = await read(player, true);
      if (mine === 'over') return true;
      if (mine === null) return false;
      const theirs = await read(opponent, false);
      return theirs === 'over' || theirs === mine;
    },
    { what: "the opponent's screen to show the player's settled heading", intervalMs: 16 },
  );
}

function summary(values: number[]): string {
  if (values.length === 0) return 'no samples';
  const v = [...values].sort((x, y) => x - y);
  const median = v[Math.floor(v.length / 2)] ?? 0;
  return `median ${median.toFixed(1)} ms (min ${v[0]!.toFixed(1)}, max ${v[v.length - 1]!.toFixed(1)}, n=${v.length})`;
}

/** Whether the page has left the match (it ended: ships can run out of lives mid-measurement). */
const over = (p: Player) =>
  p.page.evaluate(() => (globalThis as unknown as Measuring).__duel.info() === undefined);

/**
 * Turns `player`'s ship `samples` times and times, from the keydown event: the first frame
 * drawn with the turn (prediction), the first snapshot whose authoritative ship has turned,
 * and the first frame on the opponent's screen that shows it. Stops early if the match ends.
 */
export async function measureInputLatency(player: Player, opponent: Player, samples: number) {
  const slot = await player.page.evaluate(
    () => (globalThis as unknown as Measuring).__duel.info()!.you,
  );
  const out = {
    predicted: [] as number[],
    authoritative: [] as number[],
    opponent: [] as number[],
  };
  for (let i = 0; i < samples && !(await over(player)) && !(await over(opponent)); i++) {
    // A destroyed ship does not turn: wait until it is back in play (or the match is over).
    await player.page.waitForFunction((s) => {
      const h = (globalThis as unknown as Measuring).__duel;
      const alive = (ship: { respawnTicks: number } | undefined) => ship?.respawnTicks === 0;
      const ready = alive(h.drawn().frame?.ships[s]) && alive(h.latest()?.ships[s]);
      return ready || h.info() === undefined;
    }, slot);
    const key = i % 2 === 0 ? 'ArrowLeft' : 'ArrowRight';
    const dir = key === 'ArrowLeft' ? -1 : 1;
    if (!(await armLocal(player, dir))) continue;
    await armOpponent(opponent, slot, dir);
    await player.page.keyboard.down(key);
    await player.page.waitForFunction(() => {
      const g = globalThis as unknown as Measuring;
      const seen = g.__marks.predicted !== undefined && g.__marks.authoritative !== undefined;
      return seen || g.__duel.info() === undefined;
    });
    await opponent.page.waitForFunction(() => {
      const g = globalThis as unknown as Measuring;
      return g.__marks.opponent !== undefined || g.__duel.info() === undefined;
    });
    const local = await player.page.evaluate(() => {
      const g = globalThis as unknown as Measuring;
      const keyAt = g.__duel.lastKeyAt();
      const you = g.__duel.info()?.you ?? 0;
      const ship = g.__duel.latest()?.ships[you];
      const hit = !ship || ship.respawnTicks > 0 || ship.lives !== g.__marks.lives;
      return {
        hit,
        predicted: (g.__marks.predicted ?? NaN) - keyAt,
        authoritative: (g.__marks.authoritative ?? NaN) - keyAt,
        keyAbsolute: g.performance.timeOrigin + keyAt,
      };
    });
    await player.page.keyboard.up(key);
    const seenAt = await opponent.page.evaluate(
      () => (globalThis as unknown as Measuring).__marks.opponent ?? NaN,
    );
    const sample = [local.predicted, local.authoritative, seenAt - local.keyAbsolute];
    if (sample.some(Number.isNaN)) break; // the match ended mid-sample
    if (local.hit) {
      // Destroyed mid-sample: the turn waited for the respawn. Not an input latency.
      await settle(player, opponent, slot);
      continue;
    }
    out.predicted.push(local.predicted);
    out.authoritative.push(local.authoritative);
    out.opponent.push(seenAt - local.keyAbsolute);
    await settle(player, opponent, slot);
  }
  return {
    predicted: summary(out.predicted),
    authoritative: summary(out.authoritative),
    opponent: summary(out.opponent),
  };
}

/** p50 and p99 (nearest rank) of the samples. */
function percentiles(values: number[]): string {
  if (values.length === 0) return 'no samples';
  const v = [...values].sort((x, y) => x - y);
  const rank = (q: number) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]!;
  return `p50 ${rank(0.5).toFixed(0)} ms, p99 ${rank(0.99).toFixed(0)} ms (n=${v.length})`;
}

/**
 * Reloads the player's page mid-match `times` times and times each, from the reload to the
 * first frame of the match drawn again (through session resume and the rejoin route). Stops
 * early if the match ends.
 */
export async function measureReload(p: Player, times: number): Promise<string> {
  const samples: number[] = [];
  for (let i = 0; i < times && !(await over(p)); i++) {
    const from = Date.now();
    await p.page.reload();
    // Back in play, or out of it: the match ended meanwhile, so the seat was gone (the lobby)
    // or the new link heard the end (the results).
    const back = await p.page.waitForFunction(
      () => {
        const g = globalThis as unknown as Measuring & {
          document: { querySelector(s: string): unknown };
        };
        if (g.__duel.frame() !== undefined) return 'match';
        return g.document.querySelector('section.lobby, section.results') ? 'out' : false;
      },
      null,
      { timeout: 20_000 },
    );
    if ((await back.jsonValue()) !== 'match') break;
    samples.push(Date.now() - from);
  }
  return percentiles(samples);
}

/**
 * Records the first word shown over a paused match on the page ("Reconnecting…", "Opponent
 * reconnecting… 8 s"), however briefly; `seen()` returns its text, or null.
 */
export async function watchOverlay(p: Player): Promise<{ seen(): Promise<string | null> }> {
  type Watching = {
    __away?: string;
    document: { body: unknown; querySelector(s: string): { textContent: string } | null };
    MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
  };
  await p.page.evaluate(() => {
    const g = globalThis as unknown as Watching;
    delete g.__away;
    const look = () => {
      const text = g.document.querySelector('.banner.away')?.textContent;
      if (text && g.__away === undefined) g.__away = text;
    };
    new g.MutationObserver(look).observe(g.document.body, { childList: true, subtree: true });
  });
  return {
    seen: () => p.page.evaluate(() => (globalThis as unknown as Watching).__away ?? null),
  };
}
