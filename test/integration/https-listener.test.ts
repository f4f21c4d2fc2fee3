// With TLS_CERT_FILE/TLS_KEY_FILE (the node's self-signed certificate made at boot, the load
// balancer's hop to the instance), the public port serves HTTPS and nothing else.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'duel-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');

function status(getter: typeof httpsGet, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    getter(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('HTTPS on PORT', () => {
  let server: ServerProcess;
  let port: string;
  beforeAll(async () => {
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
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    server = await startServer({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /healthz over TLS with the configured certificate', async () => {
    expect(await status(httpsGet, `https://127.0.0.1:${port}/healthz`)).toBe(200);
  });

  it('does not answer plain HTTP on the same port', async () => {
    const plain = status(httpGet, `http://127.0.0.1:${port}/healthz`);
    await expect(plain).rejects.toThrow();
  });
});
