// Cosmetic particles (explosions, sparks, spawn rings), in world units, advanced by wall-clock
// time. They are the client's own decoration: nothing here feeds back into the game.

interface Particle {
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Seconds left, and at birth. */
  life: number;
  span: number;
  colour: string;
  size: number;
  kind: 'spark' | 'debris' | 'ring' | 'flash';
}

const MAX_PARTICLES = 1500;

export class Particles {
  private list: Particle[] = [];

  /** A burst of `count` sparks and a few tumbling debris pieces. */
  explode(x: number, y: number, colour: string, count: number, speed: number): void {
    for (let i = 0; i < count; i++) {
      const a = Math.random() * Math.PI * 2;
      const v = speed * (0.25 + Math.random() * 0.75);
      const span = 0.35 + Math.random() * 0.65;
      this.add({
        x,
        y,
        vx: Math.cos(a) * v,
        vy: Math.sin(a) * v,
        life: span,
        span,
        colour,
        size: 1.2 + Math.random() * 1.8,
        kind: i % 5 === 0 ? 'debris' : 'spark',
      });
    }
    this.ring(x, y, colour, speed * 0.9, 0.45);
    // A short white-hot flash sells the blast more than any number of sparks.
    this.add({
      x,
      y,
      vx: 0,
      vy: 0,
      life: 0.18,
      span: 0.18,
      colour,
      size: 6 + speed / 12,
      kind: 'flash',
    });
  }

  /** An expanding ring (a respawn, a shockwave). */
  ring(x: number, y: number, colour: string, speed: number, span: number): void {
    this.add({ x, y, vx: speed, vy: 0, life: span, span, colour, size: 2, kind: 'ring' });
  }

  private add(p: Particle): void {
    if (this.list.length >= MAX_PARTICLES) this.list.shift();
    this.list.push(p);
  }

  update(dt: number): void {
    for (const p of this.list) {
      p.life -= dt;
      if (p.kind === 'ring' || p.kind === 'flash') continue;
      p.x += p.vx * dt;
      p.y += p.vy * dt;
      p.vx *= 1 - 1.6 * dt;
      p.vy *= 1 - 1.6 * dt;
    }
    this.list = this.list.filter((p) => p.life > 0);
  }

  /** Draws in world units (the caller has set the arena transform). */
  draw(ctx: CanvasRenderingContext2D): void {
    ctx.save();
    ctx.globalCompositeOperation = 'lighter';
    for (const p of this.list) {
      const t = p.life / p.span;
      ctx.globalAlpha = Math.min(1, t * 1.4);
      ctx.strokeStyle = ctx.fillStyle = p.colour;
      if (p.kind === 'flash') {
        const r = p.size * (1.6 - t * 0.6);
        const g = ctx.createRadialGradient(p.x, p.y, 0, p.x, p.y, r);
        g.addColorStop(0, 'rgba(255, 255, 255, 0.95)');
        g.addColorStop(0.35, p.colour);
        g.addColorStop(1, 'rgba(0, 0, 0, 0)');
        ctx.fillStyle = g;
        ctx.globalAlpha = t;
        ctx.fillRect(p.x - r, p.y - r, r * 2, r * 2);
      } else if (p.kind === 'ring') {
        ctx.lineWidth = p.size * t + 0.5;
        ctx.beginPath();
        ctx.arc(p.x, p.y, p.vx * (p.span - p.life) + 4, 0, Math.PI * 2);
        ctx.stroke();
      } else if (p.kind === 'spark') {
        ctx.lineWidth = p.size;
        ctx.beginPath();
        ctx.moveTo(p.x, p.y);
        ctx.lineTo(p.x - p.vx * 0.07, p.y - p.vy * 0.07);
        ctx.stroke();
      } else {
        ctx.fillRect(p.x - p.size, p.y - p.size, p.size * 2, p.size * 2);
      }
    }
    ctx.restore();
  }

  get count(): number {
    return this.list.length;
  }
}
