// The heads-up display over the canvas: names, scores, lives, the clock and the ping, as DOM
// text (crisp at any scale, readable by screen readers and tests). Each element is rewritten
// only when its text changes.
import type { NetStats, RenderFrame } from '../../../shared/src/net/game-view.js';
import { TICK_RATE } from '../../../shared/src/sim/constants.js';
import { clock, el } from '../ui/dom.js';

/** Sets the text if it changed; says whether it did. */
function setText(node: HTMLElement, text: string): boolean {
  if (node.textContent === text) return false;
  node.textContent = text;
  return true;
}

/** Replays the score's pop animation (removing and re-adding the class restarts it). */
function bump(node: HTMLElement): void {
  node.classList.remove('bump');
  void node.offsetWidth;
  node.classList.add('bump');
}

function playerPanel(slot: 0 | 1) {
  const name = el('span', { className: 'name' });
  const score = el('span', { className: 'score' }, '0');
  const lives = el('span', { className: 'lives' });
  const panel = el('div', { className: `player p${slot}` }, name, score, lives);
  return { panel, name, score, lives };
}

export class Hud {
  readonly element: HTMLElement;
  private readonly players = [playerPanel(0), playerPanel(1)] as const;
  private readonly time = el('div', { className: 'clock', ariaLabel: 'Time left' }, '3:00');
  private readonly ping = el('div', { className: 'ping', ariaLabel: 'Ping' }, '– ms');
  private readonly debug = el('pre', { className: 'debug', hidden: true });

  constructor(names: readonly [string, string], you: 0 | 1) {
    this.players.forEach((p, slot) => {
      p.name.textContent = names[slot] ?? '';
      if (slot === you) p.panel.classList.add('me');
    });
    this.element = el(
      'div',
      { className: 'hud', role: 'region', ariaLabel: 'Scoreboard' },
      el('div', { className: 'bar' }, this.players[0].panel, this.time, this.players[1].panel),
      this.ping,
      this.debug,
      el('p', { className: 'keys' }, 'Arrows or WASD fly · Space fires · M mutes · Esc leaves'),
    );
  }

  update(frame: RenderFrame | undefined, stats: NetStats): void {
    if (frame) {
      frame.ships.forEach((ship, slot) => {
        const p = this.players[slot as 0 | 1];
        if (setText(p.score, String(ship.score))) bump(p.score);
        setText(p.lives, '▲'.repeat(Math.max(0, ship.lives)));
        p.lives.ariaLabel = `${ship.lives} lives`;
      });
      setText(this.time, clock(frame.ticksLeft / TICK_RATE));
      this.time.classList.toggle('urgent', frame.ticksLeft < 10 * TICK_RATE);
    }
    setText(this.ping, stats.rttMs === undefined ? '– ms' : `${Math.round(stats.rttMs)} ms`);
  }

  get debugShown(): boolean {
    return !this.debug.hidden;
  }

  toggleDebug(): void {
    this.debug.hidden = !this.debug.hidden;
  }

  showDebug(lines: string[]): void {
    if (!this.debug.hidden) setText(this.debug, lines.join('\n'));
  }
}
