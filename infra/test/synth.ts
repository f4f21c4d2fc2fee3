// Test helpers: synthesize the platform offline with fixed settings and walk templates.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPlatform, type PlatformStacks } from '../lib/platform.js';
import { readSettings } from '../lib/settings.js';

/** A region other than us-east-1, so the cross-region WebACL reference is exercised. */
export const TEST_REGION = 'eu-west-1';

export interface Synthesized {
  readonly stacks: PlatformStacks;
  readonly platform: Template;
  readonly edge: Template;
  readonly artifacts: Template;
}

const pinned = (
  JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** Builds the app from context only: no environment variables, no credentials. */
export function synthesize(context: Record<string, string> = {}): Synthesized {
  const app = new App({ context: { ...pinned, region: TEST_REGION, ...context } });
  const settings = readSettings({ context: (key) => app.node.tryGetContext(key) });
  const stacks = buildPlatform(app, settings);
  return {
    stacks,
    platform: Template.fromStack(stacks.platform),
    edge: Template.fromStack(stacks.edge),
    artifacts: Template.fromStack(stacks.artifacts),
  };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: Json;
  readonly Condition?: Record<string, Record<string, Json>>;
  readonly Sid?: string;
}

/** Every policy statement anywhere in a template: identity, trust and resource policies. */
export function policyStatements(template: Template): Statement[] {
  const found: Statement[] = [];
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      const statements = node['Statement'];
      if (Array.isArray(statements)) found.push(...(statements as unknown as Statement[]));
      Object.values(node).forEach(walk);
    }
  };
  walk(template.toJSON());
  return found;
}

export function actionsOf(statement: Statement): string[] {
  const action = statement.Action ?? [];
  return Array.isArray(action) ? action : [action];
}

export interface IngressRule {
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly source: Json;
}

/** Inline and stand-alone ingress rules of one security group, by its logical id. */
export function ingressRules(template: Template, groupLogicalId: string): IngressRule[] {
  const resources = template.toJSON()['Resources'] as Record<
    string,
    { Type: string; Properties: Record<string, Json> }
  >;
  const toRule = (rule: Record<string, Json>): IngressRule => ({
    protocol: typeof rule['IpProtocol'] === 'string' ? rule['IpProtocol'] : '',
    fromPort: rule['FromPort'] as number | undefined,
    toPort: rule['ToPort'] as number | undefined,
    source: rule['CidrIp'] ?? rule['SourceSecurityGroupId'] ?? null,
  });
  const group = resources[groupLogicalId];
  if (group === undefined) throw new Error(`No resource ${groupLogicalId}`);
  const inline = ((group.Properties['SecurityGroupIngress'] ?? []) as Record<string, Json>[]).map(
    toRule,
  );
  const standalone = Object.values(resources)
    .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
    .filter(
      (r) =>
        JSON.stringify(r.Properties['GroupId']) ===
        JSON.stringify({ 'Fn::GetAtt': [groupLogicalId, 'GroupId'] }),
    )
    .map((r) => toRule(r.Properties));
  return [...inline, ...standalone];
}

/** The one resource of a type whose logical id starts with a prefix. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`Expected one ${type} ${prefix}*, found ${ids.join(', ')}`);
  return ids[0] as string;
}
