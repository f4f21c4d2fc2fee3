// The CDK app: `npm run infra:synth` (offline, no credentials) or the CDK CLI through
// infra/cdk.json. Settings come from context: `-c key=value` on either command line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildPlatform } from '../lib/platform.js';
import { readSettings } from '../lib/settings.js';

const infraDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Feature flags are pinned in infra/cdk.json so both entry points build the same template. */
function pinnedContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(infraDir, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** `-c key=value` / `--context key=value` when run directly (the CLI passes its own). */
function argvContext(argv: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg !== '-c' && arg !== '--context') continue;
    const pair = argv[++i] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`Expected ${arg} key=value, got "${pair}"`);
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return context;
}

const app = new App({
  outdir: process.env.CDK_OUTDIR ?? path.join(infraDir, 'cdk.out'),
  context: { ...pinnedContext(), ...argvContext(process.argv.slice(2)) },
});
const settings = readSettings({
  context: (key): unknown => app.node.tryGetContext(key) as unknown,
  defaultAccount: process.env.CDK_DEFAULT_ACCOUNT,
  defaultRegion: process.env.CDK_DEFAULT_REGION,
});
buildPlatform(app, settings);
// cdk-nag's AwsSolutions pack: an unacknowledged finding fails synthesis with its report.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
