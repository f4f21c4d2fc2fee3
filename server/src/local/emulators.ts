// The embedded emulators of local mode, each in a child process of its own: dynalite (so its
// request handling and LevelDB never run on the server's main thread, as DynamoDB does not in
// AWS mode) and cognito-local (which insists on its own cwd and env PORT). Both bind to
// 127.0.0.1 only and exit with their parent.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
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
/** An emulator that has not exited this long after SIGTERM is killed. */
const CHILD_EXIT_GRACE_MS = 10_000;

function portError(e: unknown, variable: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE')
    return new Error(`${variable} ${port} is in use; stop what holds it or set ${variable}`);
  return e instanceof Error ? e : new Error(String(e));
}

async function startDynalite(dir: string, port: number, logger: Logger): Promise<ChildProcess> {
  const entry = siblingEntry(import.meta.url, 'dynalite-child');
  const child = fork(entry.path, [dir, String(port)], {
    execArgv: entry.execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    logger.debug({ emulator: 'dynalite' }, chunk.toString().trim());
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m: { ready?: boolean; error?: string }) => {
      if (m.ready) return resolve();
      reject(
        portError(
          Object.assign(new Error(m.error), { code: m.error }),
          'LOCAL_DYNAMODB_PORT',
          port,
        ),
      );
    });
    child.once('exit', (code) =>
      reject(
        new Error(`dynalite exited (${code}) before it was ready: ${stderr.trim().slice(-500)}`),
      ),
    );
  });
  return child;
}

/** Asks a child emulator to stop (it finishes its writes first) and waits for it to exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_EXIT_GRACE_MS);
  await exited;
  clearTimeout(timer);
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
  const dynamo = await startDynalite(join(o.dataDir, 'dynamodb'), o.dynamoPort, o.logger);
  let cognito: ChildProcess;
  try {
    cognito = await startCognito(join(o.dataDir, 'cognito'), o.cognitoPort, o.logger);
  } catch (e) {
    await stopChild(dynamo);
    throw e;
  }
  return {
    dynamoEndpoint: `http://${HOST}:${o.dynamoPort}`,
    cognitoEndpoint: `http://${HOST}:${o.cognitoPort}`,
    async stop() {
      await Promise.all([stopChild(cognito), stopChild(dynamo)]);
    },
  };
}
