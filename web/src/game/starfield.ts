// The background: three layers of stars that drift and shift against the player's own ship
// (parallax), over a faint nebula that the renderer paints once per size. World units throughout.
import { ARENA } from '../../../shared/src/sim/constants.js';

interface Star {
  x: number;
  y: number;
  r: number;
  twinkle: number;
}

const LAYERS = [
  { count: 220, depth: 0.02, drift: 3, alpha: 0.45, size: 0.7 },
  { count: 110, depth: 0.05, drift: 7, alpha: 0.7, size: 1.0 },
  { count: 45, depth: 0.1, drift: 14, alpha: 0.95, size: 1.5 },
] as const;

export class Starfield {
  private readonly layers: Star[][];
  private nebula: HTMLCanvasElement | undefined;

  constructor() {
    this.layers = LAYERS.map((l) =>
      Array.from({ length: l.count }, () => ({
        x: Math.random() * ARENA.width,
        y: Math.random() * ARENA.height,
        r: l.size * (0.6 + Math.random() * 0.8),
        twinkle: Math.random() * Math.PI * 2,
      })),
    );
  }

  /** `focus` is the point the parallax follows (the local ship), `t` seconds since start. */
  draw(ctx: CanvasRenderingContext2D, focus: { x: number; y: number }, t: number): void {
    const W = ARENA.width;
    const H = ARENA.height;
    LAYERS.forEach((l, i) => {
      const ox = -(focus.x - W / 2) * l.depth + t * l.drift;
      const oy = -(focus.y - H / 2) * l.depth;
      ctx.fillStyle = '#dfe6ff';
      for (const s of this.layers[i] ?? []) {
        const x = (((s.x + ox) % W) + W) % W;
        const y = (((s.y + oy) % H) + H) % H;
        ctx.globalAlpha = l.alpha * (0.7 + 0.3 * Math.sin(t * 2.2 + s.twinkle));
        ctx.fillRect(x - s.r / 2, y - s.r / 2, s.r, s.r);
      }
    });
    ctx.globalAlpha = 1;
  }

  /** The still part of the sky, for the renderer's backdrop. */
  drawNebula(ctx: CanvasRenderingContext2D): void {
    ctx.drawImage(this.nebulaCanvas(), 0, 0, ARENA.width, ARENA.height);
  }

  private nebulaCanvas(): HTMLCanvasElement {
    if (this.nebula) return this.nebula;
    const c = document.createElement('canvas');
    c.width = 800;
    c.height = 450;
    const g = c.getContext('2d');
    if (g) {
      g.fillStyle = '#04050d';
      g.fillRect(0, 0, c.width, c.height);
      const blobs: [number, number, number, string][] = [
        [180, 120, 260, 'rgba(60, 40, 140, 0.35)'],
        [640, 330, 300, 'rgba(20, 90, 140, 0.30)'],
        [520, 80, 180, 'rgba(140, 40, 110, 0.18)'],
        [120, 400, 200, 'rgba(30, 60, 120, 0.25)'],
      ];
      for (const [x, y, r, colour] of blobs) {
        const grad = g.createRadialGradient(x, y, 0, x, y, r);
        grad.addColorStop(0, colour);
        grad.addColorStop(1, 'rgba(0, 0, 0, 0)');
        g.fillStyle = grad;
        g.fillRect(0, 0, c.width, c.height);
      }
    }
    this.nebula = c;
    return c;
  }
}
