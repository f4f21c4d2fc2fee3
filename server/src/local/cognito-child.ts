// Runs cognito-local in a child process: it reads its files from the current directory and its
// port from env PORT, which must not be the platform's own. It exits with its parent.
import { createDefaultServer } from 'cognito-local';
import { pino } from 'pino';

const logger = pino({ level: 'warn', base: { emulator: 'cognito-local' } }, pino.destination(2));
// cognito-local is typed against an older pino; the logger API it uses is the same.
type EmulatorLogger = Parameters<typeof createDefaultServer>[0];
const server = await (await createDefaultServer(logger as unknown as EmulatorLogger)).start();
const address = server.address();
process.send?.({ ready: true, port: typeof address === 'object' ? address?.port : undefined });
process.on('disconnect', () => process.exit(0));
