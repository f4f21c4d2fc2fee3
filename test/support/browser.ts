// Real Chromium for the e2e tier: Debian's /usr/bin/chromium driven by playwright-core (which
// never downloads a browser), with the launch flags known to work here (docs: NOTES.md).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { requirePart } from './prerequisites.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Whether the browser tests run: a note and a skip without Chromium, a failure in CI. */
export const hasChromium = requirePart(
  existsSync(CHROMIUM_PATH),
  `Chromium (${CHROMIUM_PATH})`,
  'apt-get install chromium',
);

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

export interface WebFront {
  /** Where the browser should go. */
  url: string;
  close(): Promise<void>;
}

/** The real server serves the built client at its root, as `npm start` does; the tests use it. */
export async function webFront(apiUrl: string): Promise<WebFront> {
  const res = await fetch(`${apiUrl}/`);
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error(`the server at ${apiUrl} does not serve the web client (${res.status})`);
  }
  return { url: apiUrl, close: async () => undefined };
}
