// Builds the server (tsc) and the web client (Vite).
// With --if-needed, each part is rebuilt only when its output is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifNeeded = process.argv.includes('--if-needed');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

function stale(output, sources) {
  if (!ifNeeded || !existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((src) => newestMtime(join(root, src)) > built);
}

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

if (stale(join(root, 'dist', '.tsbuildinfo'), ['server/src', 'shared/src'])) {
  process.stderr.write('building server…\n');
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
}
if (stale(join(root, 'web', 'dist', 'index.html'), ['web/src', 'web/index.html', 'shared/src'])) {
  process.stderr.write('building web client…\n');
  run(bin('vite'), ['build', 'web', '--logLevel', 'warn']);
}
