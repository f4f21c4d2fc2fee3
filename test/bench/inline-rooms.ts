// The same rooms as a worker thread, run in the CALLING thread behind the same messages: the
// main-thread alternative the benchmark measures against the worker. The HTTP thread then also
// carries every tick and loads node-datachannel, which production never does.
import { EventEmitter } from 'node:events';
import type { Rooms } from '../../server/src/match/rooms-runtime.js';
import type {
  HostMessage,
  WorkerMessage,
  WorkerSettings,
} from '../../server/src/match/worker-protocol.js';
import type { RoomRunner, StartRoomRunner } from '../../server/src/match/worker-spawn.js';

interface InlineEvents {
  message: [WorkerMessage];
  error: [Error];
  exit: [number];
}

class InlineRooms implements RoomRunner {
  private readonly events = new EventEmitter<InlineEvents>();
  private readonly rooms: Promise<Rooms>;

  constructor(settings: WorkerSettings) {
    // Asynchronous like a thread's messages, so callers see the same ordering.
    const post = (m: WorkerMessage) => setImmediate(() => this.events.emit('message', m));
    this.rooms = import('../../server/src/match/rooms-runtime.js').then(({ startRooms }) =>
      startRooms(settings, post, { clockThread: false }),
    );
    this.rooms.catch((err: unknown) => {
      setImmediate(() =>
        this.events.emit('error', err instanceof Error ? err : new Error(String(err))),
      );
      setImmediate(() => this.events.emit('exit', 1));
    });
  }

  postMessage(message: HostMessage): void {
    this.rooms.then(
      (rooms) => rooms.handle(message),
      () => undefined, // reported as error and exit above
    );
  }
  onMessage(cb: (message: WorkerMessage) => void): void {
    this.events.on('message', cb);
  }
  onError(cb: (err: Error) => void): void {
    this.events.on('error', cb);
  }
  onExit(cb: (code: number) => void): void {
    this.events.on('exit', cb);
  }
  async terminate(): Promise<number> {
    (await this.rooms.catch(() => undefined))?.close();
    setImmediate(() => this.events.emit('exit', 1));
    return 1;
  }
  kill(): Promise<number> {
    return this.terminate(); // the calling thread cannot hang apart from itself
  }
}

/** RoomHostOptions.startRunner for the inline rooms; use with one worker. */
export const startInlineRooms: StartRoomRunner = (settings) => new InlineRooms(settings);
