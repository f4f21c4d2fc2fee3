// The embedded emulators of local mode: dynalite in this process, cognito-local in a child
// process (it insists on its own cwd and env PORT). Both bind to 127.0.0.1 only.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { siblingEntry } from '../runtime.js';

export interface Emulators {
  dynamoEndpoint: string;
  cognitoEndpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  dataDir: string;
  dynamoPort: number;
  cognitoPort: number;
  logger: Logger;
}

const HOST = '127.0.0.1';

function portError(e: unknown, variable: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE')
    return new Error(`${variable} ${port} is in use; stop what holds it or set ${variable}`);
  return e instanceof Error ? e : new Error(String(e));
}

async function startDynalite(dir: string, port: number): Promise<Server> {
  const { default: dynalite } = await import('dynalite');
  await mkdir(dir, { recursive: true });
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(port, HOST);
  try {
    await once(server, 'listening');
  } catch (e) {
    throw portError(e, 'LOCAL_DYNAMODB_PORT', port);
  }
  return server;
}

async function startCognito(dir: string, port: number, logger: Logger): Promise<ChildProcess> {
  await mkdir(join(dir, '.cognito'), { recursive: true });
  // Usernames, not emails, and an issuer that names the port it really runs on.
  const config = {
    UserPoolDefaults: { UsernameAttributes: [] },
    TokenConfig: { IssuerDomain: `http://${HOST}:${port}` },
  };
  await writeFile(join(dir, '.cognito', 'config.json'), JSON.stringify(config, null, 2));
  const entry = siblingEntry(import.meta.url, 'cognito-child');
  const child = fork(entry.path, [], {
    cwd: dir,
    env: { PORT: String(port), HOST },
    execArgv: entry.execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    logger.debug({ emulator: 'cognito-local' }, chunk.toString().trim());
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => {
      const inUse = /EADDRINUSE/.test(stderr);
      reject(
        inUse
          ? portError(
              Object.assign(new Error(), { code: 'EADDRINUSE' }),
              'LOCAL_COGNITO_PORT',
              port,
            )
          : new Error(
              `cognito-local exited (${code}) before it was ready: ${stderr.trim().slice(-500)}`,
            ),
      );
    });
  });
  await ready;
  return child;
}

export async function startEmulators(o: EmulatorOptions): Promise<Emulators> {
  const dynamo = await startDynalite(join(o.dataDir, 'dynamodb'), o.dynamoPort);
  let cognito: ChildProcess;
  try {
    cognito = await startCognito(join(o.dataDir, 'cognito'), o.cognitoPort, o.logger);
  } catch (e) {
    dynamo.close();
    throw e;
  }
  return {
    dynamoEndpoint: `http://${HOST}:${o.dynamoPort}`,
    cognitoEndpoint: `http://${HOST}:${o.cognitoPort}`,
    async stop() {
      const exited = cognito.exitCode === null ? once(cognito, 'exit') : Promise.resolve();
      cognito.kill('SIGTERM');
      dynamo.closeAllConnections();
      await Promise.all([exited, new Promise<void>((resolve) => dynamo.close(() => resolve()))]);
    },
  };
}
