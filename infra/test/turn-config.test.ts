// The coturn configuration the TURN nodes write at boot, run by the real coturn (Debian's
// package, the one the nodes install): it must start, answer STUN, and refuse an
// unauthenticated allocation (use-auth-secret).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coturnConfig } from '../lib/turn-user-data.js';

const TURNSERVER = '/usr/bin/turnserver';
/** Missing coturn skips visibly on a workstation; in CI (.ci/run installs it) it fails. */
const runnable = existsSync(TURNSERVER) || process.env['CI'] === 'true';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_ERROR = 0x0113;
const ERROR_CODE_ATTRIBUTE = 0x0009;
const REQUESTED_TRANSPORT = 0x0019;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A STUN request: header (type, length, cookie, transaction id) and optional attributes. */
function stunRequest(type: number, attributes: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(attributes.length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  for (let i = 8; i < 20; i++) header[i] = Math.floor(Math.random() * 256);
  return Buffer.concat([header, attributes]);
}

/** Sends a request over UDP, resending every 200 ms until an answer or the deadline. */
async function ask(port: number, request: Buffer, deadlineMs = 10_000): Promise<Buffer> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const send = () => socket.send(request, port, '127.0.0.1');
      const timer = setInterval(send, 200);
      const deadline = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`no STUN answer on ${port}`));
      }, deadlineMs);
      socket.on('message', (answer) => {
        clearInterval(timer);
        clearTimeout(deadline);
        resolve(answer);
      });
      send();
    });
  } finally {
    socket.close();
  }
}

/** The error code of a STUN error response (class * 100 + number), or undefined. */
function errorCode(message: Buffer): number | undefined {
  for (let at = 20; at + 4 <= message.length;) {
    const type = message.readUInt16BE(at);
    const length = message.readUInt16BE(at + 2);
    if (type === ERROR_CODE_ATTRIBUTE) return message[at + 6]! * 100 + message[at + 7]!;
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return undefined;
}

describe.skipIf(!runnable)('coturn with the fleet configuration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'duel-turn-'));
  let coturn: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    if (!existsSync(TURNSERVER))
      throw new Error(`${TURNSERVER} is missing: apt-get install coturn`);
    port = await freePort();
    const tlsPort = await freePort();
    const relayFrom = 40_000 + Math.floor(Math.random() * 20_000);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    // The boot shell's variables and the privileged ports, swapped for this machine's.
    const config = coturnConfig()
      .replaceAll('$private_ip', '127.0.0.1')
      .replaceAll('$public_ip', '127.0.0.1')
      .replace('$secret', 'test-secret')
      .replace(/^listening-port=.*$/m, `listening-port=${port}`)
      .replace(/^tls-listening-port=.*$/m, `tls-listening-port=${tlsPort}`)
      .replace(/^min-port=.*$/m, `min-port=${relayFrom}`)
      .replace(/^max-port=.*$/m, `max-port=${relayFrom + 50}`)
      .replaceAll('/etc/coturn/tls/', `${dir}/`)
      .replace(/^log-file=.*$/m, `log-file=${path.join(dir, 'turn.log')}`);
    writeFileSync(path.join(dir, 'turnserver.conf'), config);
    coturn = spawn(TURNSERVER, ['-c', path.join(dir, 'turnserver.conf')], {
      stdio: 'ignore',
    });
  });

  afterAll(() => {
    coturn?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts and answers a STUN binding request', async () => {
    const answer = await ask(port, stunRequest(BINDING_REQUEST));
    expect(answer.readUInt16BE(0)).toBe(BINDING_SUCCESS);
  });

  it('refuses an allocation without credentials (401)', async () => {
    const udp = Buffer.from([0x00, REQUESTED_TRANSPORT, 0x00, 0x04, 17, 0, 0, 0]);
    const answer = await ask(port, stunRequest(ALLOCATE_REQUEST, udp));
    expect(answer.readUInt16BE(0)).toBe(ALLOCATE_ERROR);
    expect(errorCode(answer)).toBe(401);
  });
});
