// The shape of the test hook (test-hook.ts), free of DOM types so that the browser tests,
// which compile for Node, can name it too.
import type { MatchInfo, NetStats, RenderFrame } from '../../../shared/src/net/game-view.js';
import type { SnapshotView } from '../../../shared/src/protocol/snapshot-view.js';

export type DrawListener = (frame: RenderFrame | undefined, at: number) => void;
export type SnapshotListener = (view: SnapshotView | undefined, at: number) => void;

export interface DuelHook {
  /** The frame on screen (undefined outside a match, or before the first snapshot). */
  frame(): RenderFrame | undefined;
  stats(): NetStats | undefined;
  info(): MatchInfo | undefined;
  /** The frame drawn last, when its drawing finished (performance.now), and how many so far. */
  drawn(): { frame: RenderFrame | undefined; at: number; count: number };
  /** event.timeStamp of the last key that changed the buttons held. */
  lastKeyAt(): number;
  /** The newest authoritative view the server sent. */
  latest(): SnapshotView | undefined;
  /** A fault: the match's link goes silent both ways (a dead network) until it is replaced. */
  cutLink(): void;
  /** Called after every drawn frame; returns the unsubscribe function. */
  onDraw(listener: DrawListener): () => void;
  /** Called after every state frame received (with the newest view then). */
  onSnapshot(listener: SnapshotListener): () => void;
}
