// Boot scripts are bash inside CloudFormation joins; a quoting slip would only show on a
// real instance. Render each launch template's user data and let bash parse it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { synthesize, type Json } from './synth.js';

/** User data of every launch template, with CloudFormation references as placeholders. */
function bootScripts(): Record<string, string> {
  const templates = synthesize().platform.findResources('AWS::EC2::LaunchTemplate');
  return Object.fromEntries(
    Object.entries(templates).map(([id, resource]) => {
      const data = (resource as { Properties: { LaunchTemplateData: { UserData: Json } } })
        .Properties.LaunchTemplateData.UserData as { 'Fn::Base64': Json };
      const body = data['Fn::Base64'];
      const parts =
        typeof body === 'string'
          ? [body]
          : (body as { 'Fn::Join': [string, Json[]] })['Fn::Join'][1];
      return [id, parts.map((part) => (typeof part === 'string' ? part : 'REF')).join('')];
    }),
  );
}

describe('boot scripts', () => {
  const scripts = bootScripts();

  it('exist for the game servers and the TURN nodes', () => {
    expect(Object.keys(scripts).sort()).toEqual([
      expect.stringMatching(/^GameServersLaunchTemplate/),
      expect.stringMatching(/^TurnLaunchTemplate/),
    ]);
  });

  it.each(Object.keys(scripts))('%s parses as bash', (id) => {
    const parsed = spawnSync('bash', ['-n'], { input: scripts[id], encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
  });
});
