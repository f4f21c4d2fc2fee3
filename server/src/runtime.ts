// Starting a sibling module in another process or thread, whether this code runs compiled
// (dist/*.js under node) or from source (*.ts under tsx or Vitest).
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function siblingEntry(
  importMetaUrl: string,
  name: string,
): { path: string; execArgv: string[] } {
  const fromSource = importMetaUrl.endsWith('.ts');
  const file = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, importMetaUrl);
  if (!fromSource) return { path: fileURLToPath(file), execArgv: [] };
  // tsx is resolved from here, not from the child's cwd, which may be anywhere.
  const tsx = pathToFileURL(createRequire(importMetaUrl).resolve('tsx')).href;
  return { path: fileURLToPath(file), execArgv: ['--import', tsx] };
}
