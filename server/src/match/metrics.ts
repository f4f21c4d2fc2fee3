// Counters shared by every room of one worker; the worker reports them in stats().
import { SampleWindow } from './samples.js';

export class RoomMetrics {
  /** Frames that failed to decode, dropped without ending the session. */
  malformedDropped = 0;
  /** Frames with a code the server does not know; each closed a session. */
  unknownCodes = 0;
  /** Known frames a client may not send; each closed a session. */
  unexpectedMessages = 0;
  /** Inputs refused because the player's queue was full. */
  inputsDropped = 0;
  /** Inputs refused because a newer one had already arrived. */
  staleInputs = 0;
  /** Snapshot payload bytes sent on `state`. */
  snapshotBytes = 0;
  /** Time spent inside one room tick, ms. */
  readonly tickMs = new SampleWindow();
  /** Late start of a tick against its schedule, ms (event-loop pressure). */
  readonly tickLagMs = new SampleWindow();
  /** Round-trip times of server pings, ms. */
  readonly rttMs = new SampleWindow();
}
