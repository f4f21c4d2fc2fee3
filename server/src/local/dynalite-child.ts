// Runs dynalite in a child process of its own, as cognito-local runs in one: the emulator's
// request handling and LevelDB then cost the server's main thread nothing, as DynamoDB costs it
// nothing in AWS mode. Its data directory and port come in argv; it binds to 127.0.0.1 only,
// says it is ready over IPC, and exits with its parent.
import { mkdir } from 'node:fs/promises';
import dynalite from 'dynalite';

const [dir, portText] = process.argv.slice(2);
if (!dir || !portText) throw new Error('usage: dynalite-child DIR PORT');
await mkdir(dir, { recursive: true });
const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (e: NodeJS.ErrnoException) => {
  // The parent names the variable; the code is all it needs.
  process.send?.({ error: e.code ?? e.message }, () => process.exit(1));
});
server.listen(Number(portText), '127.0.0.1', () => process.send?.({ ready: true }));

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  // dynalite's close also closes its LevelDB, so the next start on this directory can open it.
  server.close(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
