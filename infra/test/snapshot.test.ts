import { describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { synthesize } from './synth.js';

/**
 * Asset hashes (bundled custom-resource handlers) change with the CDK version, not with
 * our code; mask them so the snapshot only moves when the infrastructure does.
 */
function stable(template: Template): unknown {
  const text = JSON.stringify(template.toJSON(), null, 2);
  return JSON.parse(text.replace(/\b[0-9a-f]{64}\b/g, '<asset-hash>'));
}

describe('synthesized templates', () => {
  const { platform, edge, artifacts } = synthesize();

  it('match the snapshot', () => {
    expect({
      DuelEdgeWaf: stable(edge),
      DuelArtifacts: stable(artifacts),
      DuelPlatform: stable(platform),
    }).toMatchSnapshot();
  });
});
