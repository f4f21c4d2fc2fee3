// Runs cognito-local in a child process: it reads its files from the current directory and its
// port from env PORT, which must not be the platform's own. It exits with its parent.
import { createDefaultServer } from 'cognito-local';
import { pino } from 'pino';

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
process.send?.({ ready: true, port: typeof address === 'object' ? address?.port : undefined });
process.on('disconnect', () => process.exit(0));
