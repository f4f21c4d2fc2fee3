// Waits for ICE gathering to complete, so the SDP holds every candidate (non-trickle).
import type { PeerConnection } from 'node-datachannel';
import { TransportError, withTimeout } from './errors.js';

/** Must be called before the step that starts gathering, or the event can be missed. */
export function gatheringComplete(pc: PeerConnection, timeoutMs: number): Promise<string> {
  const done = new Promise<string>((resolve, reject) => {
    pc.onGatheringStateChange((state) => {
      if (state !== 'complete') return;
      const description = pc.localDescription();
      if (description) resolve(description.sdp);
      else reject(new TransportError('closed', 'no local description after gathering'));
    });
  });
  return withTimeout(done, timeoutMs, 'ICE gathering');
}
