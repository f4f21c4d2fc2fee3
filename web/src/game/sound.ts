// Sound effects, synthesised with Web Audio (no files to load): a laser chirp per shot, a
// noise burst per explosion. Browsers start audio only after a user gesture, so the game
// unlocks it on the first key press. M mutes, and the choice is remembered.

import { detach } from '../log.js';

const MUTE_KEY = 'duel.muted';

export class Sound {
  private ctx: AudioContext | undefined;
  private noise: AudioBuffer | undefined;
  private master: GainNode | undefined;
  muted = localStorage.getItem(MUTE_KEY) === '1';

  /** Call from an input handler: creates or resumes the audio context. */
  unlock(): void {
    if (!this.ctx) {
      try {
        this.ctx = new AudioContext();
      } catch {
        return; // no audio device: the game is silent, nothing else changes
      }
      this.master = this.ctx.createGain();
      this.master.gain.value = 0.35;
      this.master.connect(this.ctx.destination);
      this.noise = this.whiteNoise(this.ctx);
    }
    if (this.ctx.state === 'suspended') detach('resuming audio', this.ctx.resume());
  }

  toggleMute(): void {
    this.muted = !this.muted;
    localStorage.setItem(MUTE_KEY, this.muted ? '1' : '0');
  }

  /** A shot: your own louder than the opponent's. */
  shot(mine: boolean): void {
    const a = this.ready();
    if (!a) return;
    const { ctx, out } = a;
    const t = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.setValueAtTime(mine ? 1400 : 1100, t);
    osc.frequency.exponentialRampToValueAtTime(220, t + 0.12);
    gain.gain.setValueAtTime(mine ? 0.18 : 0.08, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + 0.12);
    osc.connect(gain).connect(out);
    osc.start(t);
    osc.stop(t + 0.13);
  }

  /** An explosion; `size` 0 (a pebble) to 3 (a ship). */
  boom(size: number): void {
    const a = this.ready();
    if (!a || !this.noise) return;
    const { ctx, out } = a;
    const t = ctx.currentTime;
    const length = 0.25 + size * 0.2;
    const src = ctx.createBufferSource();
    src.buffer = this.noise;
    const filter = ctx.createBiquadFilter();
    filter.type = 'lowpass';
    filter.frequency.setValueAtTime(1800 - size * 350, t);
    filter.frequency.exponentialRampToValueAtTime(80, t + length);
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.25 + size * 0.15, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + length);
    src.connect(filter).connect(gain).connect(out);
    src.start(t);
    src.stop(t + length);
  }

  dispose(): void {
    if (this.ctx) detach('closing audio', this.ctx.close());
    this.ctx = undefined;
  }

  private ready(): { ctx: AudioContext; out: GainNode } | undefined {
    if (this.muted || !this.ctx || !this.master || this.ctx.state !== 'running') return undefined;
    return { ctx: this.ctx, out: this.master };
  }

  private whiteNoise(ctx: AudioContext): AudioBuffer {
    const buffer = ctx.createBuffer(1, ctx.sampleRate, ctx.sampleRate);
    const data = buffer.getChannelData(0);
    for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
    return buffer;
  }
}
