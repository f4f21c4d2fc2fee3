// A real coturn (Debian's /usr/bin/turnserver) for the relay tests: loopback only, on free
// ports, with the TURN REST API secret. It relays to loopback peers, which coturn refuses by
// default and a deployment must never allow; only this test server is started with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { requirePart } from './prerequisites.js';

export const TURNSERVER_PATH = '/usr/bin/turnserver';

/**
 * Whether the relay tests can run: the rule of test/support/prerequisites.ts (missing on a
 * developer's machine, they skip with a note; missing in CI, `CI=true`, they fail).
 */
export const requireTurnserver = (): boolean =>
  requirePart(existsSync(TURNSERVER_PATH), `coturn (${TURNSERVER_PATH})`, 'apt-get install coturn');

export interface Coturn {
  /** turn: URL of its UDP listener. */
  url: string;
  secret: string;
  port: number;
  /** The ports it allocates relay addresses from (on 127.0.0.1). */
  relayPorts: { min: number; max: number };
  child: ChildProcess;
  /** Everything it wrote, for failure messages only. */
  output(): string;
  stop(): Promise<void>;
}

const STUN_BINDING_SUCCESS = 0x0101;

/** One STUN Binding request; resolves true if a success response comes back in `ms`. */
function stunAnswers(port: number, ms: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0); // Binding request, no attributes
  request.writeUInt32BE(0x2112a442, 4); // magic cookie
  randomBytes(12).copy(request, 8);
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on('message', (msg) => done(msg.readUInt16BE(0) === STUN_BINDING_SUCCESS));
    socket.on('error', () => done(false));
    socket.send(request, port, '127.0.0.1');
  });
}

/** Starts coturn and resolves once it answers STUN on its port (deadline 20 s). */
export async function startCoturn(): Promise<Coturn> {
  const dir = await mkdtemp(join(tmpdir(), 'duel-coturn-'));
  const secret = randomBytes(16).toString('hex');
  const port = await freePort();
  // coturn also listens on an RFC 5780 alternate port, `port + 1` unless told: a free port of
  // its own, or a busy `port + 1` stops it from answering at all.
  const altPort = await freePort();
  // A relay port range of its own, so parallel runs on this host do not collide.
  const minPort = 20_000 + Math.floor(Math.random() * 400) * 100;
  const args = [
    '-n', // no config file: every setting is here
    `--listening-ip=127.0.0.1`,
    `--listening-ip=::1`,
    `--relay-ip=127.0.0.1`,
    `--listening-port=${port}`,
    `--alt-listening-port=${altPort}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 99}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=duel',
    '--allow-loopback-peers', // test only: the game server is on 127.0.0.1
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--no-tcp-relay',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
    '--log-file=stdout',
    '--simple-log',
  ];
  const child = spawn(TURNSERVER_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (b: Buffer) => void (out = (out + b.toString()).slice(-20_000));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('error', (err) => void (out += `\nspawn failed: ${String(err)}`));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await stunAnswers(port, 500))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`coturn did not answer STUN on 127.0.0.1:${port}:\n${out}`);
    }
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    port,
    relayPorts: { min: minPort, max: minPort + 99 },
    child,
    output: () => out,
    stop,
  };
}

/** Throws unless a UDP socket can be bound on ::1 (the relay tests need IPv6 loopback). */
export async function requireIpv6Loopback(): Promise<void> {
  const socket = createSocket('udp6');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '::1', resolve);
    });
  } catch (cause) {
    throw new Error('this test needs IPv6 loopback (::1), which this machine lacks', { cause });
  } finally {
    socket.close();
  }
}
