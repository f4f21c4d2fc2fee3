import nodeDataChannel from 'node-datachannel';

/**
 * Closes every native peer in the PROCESS (libdatachannel's registry is process-wide, so
 * this reaches peers of other worker threads too) and stops its threads. Call it once at
 * shutdown, after your own peers are closed, or the process may never exit. It blocks for
 * up to 10 s and throws if libdatachannel does not finish.
 */
export function shutdownTransport(): void {
  nodeDataChannel.cleanup();
}
