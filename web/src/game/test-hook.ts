// A window into the running match for the browser tests and for measuring (frame rate, input
// latency), read-only but for one fault to inject: cutLink(), a network gone dead. It exists
// only when the page was opened with `?test` in its URL.
import type { GameClient } from '../../../shared/src/net/game-client.js';
import type { RenderFrame } from '../../../shared/src/net/game-view.js';
import type { Controls } from './controls.js';
import type { DrawListener, DuelHook, SnapshotListener } from './hook-types.js';

declare global {
  interface Window {
    __duel?: DuelHook;
  }
}

const enabled = new URLSearchParams(location.search).has('test');
let current: { client: GameClient; controls: Controls; cut(): void } | undefined;
let last: { frame: RenderFrame | undefined; at: number; count: number } = {
  frame: undefined,
  at: 0,
  count: 0,
};
const listeners = new Set<DrawListener>();
const snapshotListeners = new Set<SnapshotListener>();

if (enabled) {
  window.__duel = {
    // The frame drawn last, not a fresh client.frame(): looking must not change what is seen.
    frame: () => (current ? last.frame : undefined),
    stats: () => current?.client.stats(),
    info: () => current?.client.info,
    drawn: () => last,
    lastKeyAt: () => current?.controls.lastChangeAt ?? 0,
    latest: () => current?.client.latest,
    cutLink: () => current?.cut(),
    onDraw(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
  };
}

/** The game screen's side of the hook: cheap no-ops unless the hook is enabled. */
export function gameHook(client: GameClient, controls: Controls, cut: () => void) {
  if (enabled) current = { client, controls, cut };
  return {
    drew(frame: RenderFrame | undefined) {
      if (!enabled) return;
      last = { frame, at: performance.now(), count: last.count + 1 };
      for (const l of listeners) l(frame, last.at);
    },
    received() {
      if (!enabled || snapshotListeners.size === 0) return;
      const at = performance.now();
      for (const l of snapshotListeners) l(client.latest, at);
    },
    clear() {
      if (!enabled || current?.client !== client) return;
      current = undefined;
      last = { frame: undefined, at: 0, count: last.count };
    },
  };
}
