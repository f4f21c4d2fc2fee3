// Waits for ICE gathering to complete, so the SDP holds every candidate (non-trickle).
import type { PeerConnection } from 'node-datachannel';
import { TransportError } from './errors.js';

export interface Gathering {
  /** The local description once gathering completed; rejects on timeout or cancel(). */
  readonly sdp: Promise<string>;
  /** Settles `sdp` with `reason` now (the step that started gathering failed). */
  cancel(reason: Error): void;
}

/**
 * Must be called before the step that starts gathering, or the event can be missed. The
 * promise is always settled (gathered, timed out or cancelled) and never left unhandled by
 * a caller that gives up early: cancel() settles it and clears the timer.
 */
export function gatheringComplete(pc: PeerConnection, timeoutMs: number): Gathering {
  let settle: (outcome: { sdp: string } | { error: Error }) => void = () => undefined;
  const sdp = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle({
        error: new TransportError('timeout', `ICE gathering took longer than ${timeoutMs} ms`),
      });
    }, timeoutMs);
    settle = (outcome) => {
      settle = () => undefined; // first outcome wins
      clearTimeout(timer);
      if ('sdp' in outcome) resolve(outcome.sdp);
      else reject(outcome.error);
    };
  });
  pc.onGatheringStateChange((state) => {
    if (state !== 'complete') return;
    // A throw here would escape into native code's callback: settle with it instead.
    try {
      const description = pc.localDescription();
      settle(
        description
          ? { sdp: description.sdp }
          : { error: new TransportError('closed', 'no local description after gathering') },
      );
    } catch (cause) {
      settle({
        error: new TransportError('closed', 'the connection closed while gathering', { cause }),
      });
    }
  });
  return {
    sdp,
    cancel: (reason) => {
      sdp.catch(() => undefined); // the caller reports `reason` itself
      settle({ error: reason });
    },
  };
}
