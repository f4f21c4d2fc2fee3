// Runs cognito-local in a child process: it reads its files from the current directory and its
// port from env PORT, which must not be the platform's own. It exits with its parent.
import { writeFileSync, renameSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createDefaultServer } from 'cognito-local';
import { pino } from 'pino';

// cognito-local keeps each user pool in a JSON file that stormdb rewrites in place with
// fs.writeFile. A stop (SIGTERM) during that write left a truncated file, and the next start on
// the same data failed to parse it, or, if it was empty, started with no accounts at all. Writes
// here go to a side file that is renamed over the old one, one at a time per file and in call
// order, and a stop waits for the writes already asked for. The side file does not end in
// .json, so cognito-local never takes it for a user pool.
interface StormEngine {
  path: string;
  async: boolean;
  serialize(data: unknown): string;
  write(data: unknown): Promise<void> | null;
}
const requireFromCognito = createRequire(createRequire(import.meta.url).resolve('cognito-local'));
const Engine = (requireFromCognito('stormdb') as { localFileEngine: { prototype: StormEngine } })
  .localFileEngine;
const queues = new Map<string, Promise<void>>();

Engine.prototype.write = function write(this: StormEngine, data: unknown) {
  const text = this.serialize(data);
  const side = `${this.path}.writing`;
  if (!this.async) {
    writeFileSync(side, text);
    renameSync(side, this.path);
    return null;
  }
  const run = (queues.get(this.path) ?? Promise.resolve()).then(async () => {
    await writeFile(side, text);
    await rename(side, this.path);
  });
  queues.set(
    this.path,
    run.catch(() => {}),
  );
  return run;
};

const logger = pino({ level: 'warn', base: { emulator: 'cognito-local' } }, pino.destination(2));
// cognito-local is typed against an older pino; the logger API it uses is the same.
type EmulatorLogger = Parameters<typeof createDefaultServer>[0];
const server = await (await createDefaultServer(logger as unknown as EmulatorLogger)).start();
// Node closes an idle keep-alive socket after 5 s. Under a burst of logins on a busy machine
// the platform's fetch may reuse such a socket just as the emulator closes it ("other side
// closed", seen on Node 22): the login fails with 503. Idle sockets here stay open far longer
// than the client keeps them, so the client always closes first.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
const address = server.address();

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  // Each queued write has its own catch, so this settles once they are all on disk.
  Promise.all(queues.values()).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
process.send?.({ ready: true, port: typeof address === 'object' ? address?.port : undefined });
