import { Tags, type App } from 'aws-cdk-lib';
import { ArtifactsStack } from './artifacts-stack.js';
import { EDGE_REGION, EdgeWafStack } from './edge-waf-stack.js';
import { PlatformStack } from './platform-stack.js';
import type { PlatformSettings } from './settings.js';

export interface PlatformStacks {
  readonly edge: EdgeWafStack;
  readonly artifacts: ArtifactsStack;
  readonly platform: PlatformStack;
}

/** Adds the three stacks of the platform to an app; used by bin/app.ts and the tests. */
export function buildPlatform(app: App, settings: PlatformSettings): PlatformStacks {
  const env = { account: settings.account, region: settings.region };
  const edge = new EdgeWafStack(app, 'DuelEdgeWaf', {
    env: { account: settings.account, region: EDGE_REGION },
    description: 'Duel platform: CloudFront WebACL (us-east-1 only)',
    rateLimit: settings.rateLimit,
  });
  const artifacts = new ArtifactsStack(app, 'DuelArtifacts', {
    env,
    description: 'Duel platform: server release tarballs',
  });
  const platform = new PlatformStack(app, 'DuelPlatform', {
    env,
    description: 'Duel platform: accounts, data, game servers, load balancer, web',
    settings,
    artifactBucket: artifacts.bucket,
    edgeWebAclArn: edge.webAclArn,
  });
  for (const stack of [edge, artifacts, platform]) {
    Tags.of(stack).add('project', 'duel-platform');
  }
  return { edge, artifacts, platform };
}
