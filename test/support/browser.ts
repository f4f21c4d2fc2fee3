// Real Chromium for the e2e tier: Debian's /usr/bin/chromium driven by playwright-core (which
// never downloads a browser), with the launch flags known to work here (docs: NOTES.md).
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Headless Chromium with a fresh profile (Playwright gives each launch a temporary one). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Chromium's version line, for reports. */
export function chromiumVersion(): string {
  return spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of readdirSync(path))
    if (e !== 'node_modules' && e !== 'dist') n = Math.max(n, newest(join(path, e)));
  return n;
}

/**
 * Builds web/dist when it is missing or older than its sources: the server serves it, and
 * the browser tests must run the client as it is now. Only the web client is built.
 */
export function buildWebIfNeeded(): void {
  const out = join(root, 'web', 'dist', 'index.html');
  const sources = ['web/src', 'web/index.html', 'shared/src'].map((p) => newest(join(root, p)));
  if (existsSync(out) && statSync(out).mtimeMs > Math.max(...sources)) return;
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const res = spawnSync(vite, ['build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`vite build web failed:\n${res.stdout}\n${res.stderr}`);
}

/** Where test artifacts (screenshots) go; gitignored. */
export const ARTIFACTS = join(root, 'test-results');

if (!hasChromium) {
  console.warn(
    `e2e: ${CHROMIUM_PATH} not found, so the browser tests are skipped (apt-get install chromium).`,
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface WebFront {
  /** Where the browser should go. */
  url: string;
  close(): Promise<void>;
}

/**
 * The address that serves the web client for `apiUrl`'s server. The server serves web/dist
 * itself when it finds it; when run from source its web root can miss the build (it resolves
 * the folder relative to its compiled location), so the tests then put a small front in
 * place: web/dist from disk, and everything under /api proxied to the server, streams included.
 */
export async function webFront(apiUrl: string): Promise<WebFront> {
  const probe = await fetch(`${apiUrl}/`).catch(() => undefined);
  if (probe?.ok && (probe.headers.get('content-type') ?? '').includes('text/html')) {
    return { url: apiUrl, close: async () => undefined };
  }
  const dist = join(root, 'web', 'dist');
  const target = new URL(apiUrl);
  const front = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/') || path === '/healthz' || path === '/readyz') {
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
      return;
    }
    const file = normalize(join(dist, path));
    const inside = file.startsWith(dist) && existsSync(file) && statSync(file).isFile();
    const served = inside ? file : join(dist, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream' });
    createReadStream(served).pipe(res);
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  const { port } = front.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      front.closeAllConnections();
      await new Promise((r) => front.close(r));
    },
  };
}
