// Draws a RenderFrame on the canvas: letterboxed to the arena's 16:9, sharp on high-DPI
// screens, in the vector style of the arcade original, with glow, particles and parallax stars.
import type { RenderFrame } from '../../../shared/src/net/game-view.js';
import {
  ARENA,
  PROJECTILE_TTL,
  SPAWNS,
  SUBUNITS,
  TICK_RATE,
} from '../../../shared/src/sim/constants.js';
import type { Asteroid, Projectile, Ship } from '../../../shared/src/sim/types.js';
import { Effects } from './effects.js';
import { Particles } from './particles.js';
import type { Sound } from './sound.js';
import { rockShape, SHIP_OUTLINE, SLOT_COLOURS, tracePath } from './shapes.js';
import { Starfield } from './starfield.js';

/** Ships are drawn a little larger than their hit circle, so they read well at any size. */
const SHIP_SCALE = 1.3;
const W = ARENA.width;
const H = ARENA.height;
const TURN = Math.PI * 2;

/** Calls `draw` at (x, y) and at its wrapped twins when it straddles an edge of the torus. */
function wrapped(x: number, y: number, r: number, draw: (x: number, y: number) => void): void {
  const xs = [x, ...(x - r < 0 ? [x + W] : []), ...(x + r > W ? [x - W] : [])];
  const ys = [y, ...(y - r < 0 ? [y + H] : []), ...(y + r > H ? [y - H] : [])];
  for (const wx of xs) for (const wy of ys) draw(wx, wy);
}

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly stars = new Starfield();
  readonly particles = new Particles();
  readonly effects: Effects;
  private scale = 1;
  private focus = { x: W / 2, y: H / 2 };
  /** Letterbox, nebula and border, painted once per size: software canvases pay per pixel. */
  private backdrop: HTMLCanvasElement | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private names: readonly [string, string],
    sound?: Sound,
  ) {
    this.effects = new Effects(this.particles, sound);
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.resize();
  }

  setNames(names: readonly [string, string]): void {
    this.names = names;
  }

  /** Matches the backing store to the element's size in device pixels. */
  resize(): void {
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (this.canvas.width === w && this.canvas.height === h && this.backdrop) return;
    this.canvas.width = w;
    this.canvas.height = h;
    this.scale = Math.min(w / W, h / H);
    this.backdrop = this.paintBackdrop(w, h);
  }

  private paintBackdrop(w: number, h: number): HTMLCanvasElement {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    if (!g) return c;
    g.fillStyle = '#010207';
    g.fillRect(0, 0, w, h);
    const s = this.scale;
    g.setTransform(s, 0, 0, s, (w - W * s) / 2, (h - H * s) / 2);
    this.stars.drawNebula(g);
    g.strokeStyle = 'rgba(90, 120, 255, 0.12)';
    g.lineWidth = 8;
    g.strokeRect(0, 0, W, H);
    g.strokeStyle = 'rgba(110, 140, 255, 0.45)';
    g.lineWidth = 1.5;
    g.strokeRect(0, 0, W, H);
    return c;
  }

  /** One animation frame: `t` is wall-clock seconds, `dt` seconds since the last frame. */
  draw(frame: RenderFrame | undefined, t: number, dt: number): void {
    const { ctx, canvas } = this;
    if (frame) {
      this.effects.update(frame, t, dt);
      const me = frame.ships[frame.you];
      if (me.respawnTicks === 0) this.focus = { x: me.x / SUBUNITS, y: me.y / SUBUNITS };
    }
    this.particles.update(dt);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (this.backdrop) ctx.drawImage(this.backdrop, 0, 0);

    const s = this.scale;
    const shake = this.effects.shake * 14;
    const ox = (canvas.width - W * s) / 2 + (Math.random() - 0.5) * shake * s;
    const oy = (canvas.height - H * s) / 2 + (Math.random() - 0.5) * shake * s;
    ctx.setTransform(s, 0, 0, s, ox, oy);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, W, H);
    ctx.clip();
    this.stars.draw(ctx, this.focus, t);
    if (frame) {
      for (const a of frame.asteroids) this.rock(a, frame.renderTick);
      for (const p of frame.projectiles) this.shot(p);
      for (const ship of frame.ships) this.ship(ship, ship.id === frame.you, t);
    }
    this.particles.draw(ctx);
    ctx.restore();
  }

  private rock(a: Asteroid, tick: number): void {
    const { ctx } = this;
    const shape = rockShape(a.id, a.size);
    const r = 50;
    wrapped(a.x / SUBUNITS, a.y / SUBUNITS, r, (x, y) => {
      ctx.save();
      ctx.translate(x, y);
      ctx.rotate(shape.phase + shape.spin * tick);
      tracePath(ctx, shape.outline);
      ctx.fillStyle = '#0a0e1d';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.lineJoin = 'round';
      ctx.strokeStyle = '#b7c3ea';
      ctx.stroke();
      ctx.globalAlpha = 0.35;
      ctx.lineWidth = 1.2;
      for (const [cx, cy, cr] of shape.craters) {
        ctx.beginPath();
        ctx.arc(cx, cy, cr, 0, TURN);
        ctx.stroke();
      }
      ctx.restore();
    });
  }

  private shot(p: Projectile): void {
    const { ctx } = this;
    const colour = SLOT_COLOURS[p.owner];
    const x = p.x / SUBUNITS;
    const y = p.y / SUBUNITS;
    const tail = 2.5 / SUBUNITS;
    ctx.save();
    ctx.globalCompositeOperation = 'lighter';
    ctx.globalAlpha = Math.min(1, p.ttl / (PROJECTILE_TTL * 0.25));
    ctx.strokeStyle = colour.glow;
    ctx.lineWidth = 6;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(x - p.vx * tail, y - p.vy * tail);
    ctx.lineTo(x, y);
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.arc(x, y, 2.6, 0, TURN);
    ctx.fill();
    ctx.restore();
  }

  private ship(ship: Ship, mine: boolean, t: number): void {
    if (ship.lives <= 0) return;
    if (ship.respawnTicks > 0) return this.ghost(ship, t);
    const { ctx } = this;
    const colour = SLOT_COLOURS[ship.id];
    const angle = (ship.heading / 256) * TURN;
    const flame = this.effects.thrusting(ship.id, t);
    // Invulnerable ships blink, fast at first, and wear a shield.
    const blink = ship.invulnTicks > 0 && Math.floor(t * 12) % 2 === 0;
    wrapped(ship.x / SUBUNITS, ship.y / SUBUNITS, 30, (x, y) => {
      ctx.save();
      ctx.translate(x, y);
      if (mine) this.marker(colour.dim, t);
      if (ship.invulnTicks > 0) {
        ctx.strokeStyle = colour.dim;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.arc(0, 0, 28 + Math.sin(t * 8) * 1.5, 0, TURN);
        ctx.stroke();
      }
      this.label(mine ? 'YOU' : (this.names[ship.id] ?? ''), colour.main);
      ctx.rotate(angle);
      ctx.scale(SHIP_SCALE, SHIP_SCALE);
      if (flame) this.flame();
      ctx.globalAlpha = blink ? 0.3 : 1;
      tracePath(ctx, SHIP_OUTLINE);
      ctx.fillStyle = '#070b18';
      ctx.fill();
      // A wide faint stroke under a thin bright one: a glow without shadowBlur's cost.
      ctx.lineJoin = 'round';
      ctx.strokeStyle = colour.glow;
      ctx.lineWidth = mine ? 7 : 5;
      ctx.stroke();
      ctx.strokeStyle = colour.main;
      ctx.lineWidth = mine ? 2.4 : 2;
      ctx.stroke();
      ctx.restore();
    });
  }

  /** Where a destroyed ship will reappear, and when: a faint outline and a countdown. */
  private ghost(ship: Ship, t: number): void {
    const { ctx } = this;
    const spawn = SPAWNS[ship.id];
    const colour = SLOT_COLOURS[ship.id];
    ctx.save();
    ctx.translate(spawn.x / SUBUNITS, spawn.y / SUBUNITS);
    ctx.globalAlpha = 0.25 + 0.15 * Math.sin(t * 6);
    this.label(String(Math.ceil(ship.respawnTicks / TICK_RATE)), colour.main);
    ctx.rotate((spawn.heading / 256) * TURN);
    ctx.scale(SHIP_SCALE, SHIP_SCALE);
    ctx.setLineDash([3, 4]);
    tracePath(ctx, SHIP_OUTLINE);
    ctx.strokeStyle = colour.main;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.restore();
  }

  /** A slowly turning dashed ring under your own ship: find yourself at a glance. */
  private marker(colour: string, t: number): void {
    const { ctx } = this;
    ctx.save();
    ctx.rotate(t * 0.8);
    ctx.setLineDash([6, 8]);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(0, 0, 34, 0, TURN);
    ctx.stroke();
    ctx.restore();
  }

  private label(text: string, colour: string): void {
    const { ctx } = this;
    ctx.save();
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillStyle = colour;
    ctx.globalAlpha = 0.85;
    ctx.fillText(text, 0, -40);
    ctx.restore();
  }

  private flame(): void {
    const { ctx } = this;
    const len = 16 + Math.random() * 12;
    ctx.save();
    ctx.globalCompositeOperation = 'lighter';
    const g = ctx.createLinearGradient(-7, 0, -7 - len, 0);
    g.addColorStop(0, 'rgba(255, 244, 200, 0.95)');
    g.addColorStop(0.4, 'rgba(255, 150, 40, 0.8)');
    g.addColorStop(1, 'rgba(255, 60, 20, 0)');
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.moveTo(-7, 7);
    ctx.lineTo(-7 - len, 0);
    ctx.lineTo(-7, -7);
    ctx.closePath();
    ctx.fill();
    ctx.restore();
  }
}
