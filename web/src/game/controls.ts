// The keyboard as a Button bitfield: arrows or WASD to fly, space to fire. Keys are read by
// physical position (KeyboardEvent.code), so WASD sits under the same fingers on any layout.
import { Button } from '../../../shared/src/protocol/codes.js';

const BINDINGS: Record<string, number> = {
  ArrowUp: Button.thrust,
  KeyW: Button.thrust,
  ArrowLeft: Button.left,
  KeyA: Button.left,
  ArrowRight: Button.right,
  KeyD: Button.right,
  Space: Button.fire,
};

export interface ControlEvents {
  /** Any key: a user gesture, which lets audio start. */
  onKey(): void;
  onLeave(): void;
  onToggleDebug(): void;
  onToggleMute(): void;
}

export class Controls {
  private readonly held = new Set<string>();
  /** event.timeStamp of the last key that changed the buttons (for latency measurement). */
  lastChangeAt = 0;

  constructor(
    private readonly target: Window,
    private readonly on: ControlEvents,
  ) {
    target.addEventListener('keydown', this.down);
    target.addEventListener('keyup', this.up);
    target.addEventListener('blur', this.release);
  }

  get buttons(): number {
    let b = 0;
    for (const code of this.held) b |= BINDINGS[code] ?? 0;
    return b;
  }

  dispose(): void {
    this.target.removeEventListener('keydown', this.down);
    this.target.removeEventListener('keyup', this.up);
    this.target.removeEventListener('blur', this.release);
  }

  private readonly down = (ev: KeyboardEvent) => {
    this.on.onKey();
    if (ev.code in BINDINGS) {
      // The page must not scroll or click a focused button while flying.
      ev.preventDefault();
      if (!this.held.has(ev.code)) {
        this.held.add(ev.code);
        this.lastChangeAt = ev.timeStamp;
      }
    } else if (ev.code === 'Escape') {
      ev.preventDefault();
      this.on.onLeave();
    } else if (ev.code === 'F3') {
      ev.preventDefault();
      this.on.onToggleDebug();
    } else if (ev.code === 'KeyM' && !ev.repeat) {
      this.on.onToggleMute();
    }
  };

  private readonly up = (ev: KeyboardEvent) => {
    if (!(ev.code in BINDINGS)) return;
    ev.preventDefault();
    this.held.delete(ev.code);
    this.lastChangeAt = ev.timeStamp;
  };

  /** A window that loses focus never sees the key-up: let go of everything. */
  private readonly release = () => this.held.clear();
}
