import { describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthesize, TEST_REGION } from './synth.js';

/** Unacknowledged AwsSolutions findings (errors and warnings alike), as `rule at path`. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`),
  );
}

/** Every acknowledgement recorded on the app's constructs, with its reason. */
function acknowledgements(app: App): { id: string; reason: string }[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>))
    .map(([key, reason]) => ({ id: key.replace(/^Annotation::/, ''), reason }));
}

const production = {
  stage: 'production',
  certificateArn: `arn:aws:acm:${TEST_REGION}:123456789012:certificate/abc-123`,
  originDomainName: 'origin.example.com',
  edgeCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/def-456',
  domainName: 'play.example.com',
};

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the dev stage (the defaults)', () => {
    expect(findings(synthesize().stacks.platform.node.root as App)).toEqual([]);
  });

  it('finds nothing unacknowledged in production, without TURN too', () => {
    for (const context of [production, { ...production, turnInstances: '0' }]) {
      expect(findings(synthesize(context).stacks.platform.node.root as App)).toEqual([]);
    }
  });

  it('acknowledges origin and viewer TLS findings only in the dev stage', () => {
    const ids = (context: Record<string, string>) =>
      acknowledgements(synthesize(context).stacks.platform.node.root as App).map((a) => a.id);
    expect(ids({})).toEqual(expect.arrayContaining(['AwsSolutions-CFR4', 'AwsSolutions-CFR5']));
    expect(ids(production)).not.toContain('AwsSolutions-CFR4');
    expect(ids(production)).not.toContain('AwsSolutions-CFR5');
  });

  it('gives every acknowledgement a one-line reason', () => {
    const all = acknowledgements(synthesize().stacks.platform.node.root as App).filter((a) =>
      a.id.startsWith('AwsSolutions-'),
    );
    expect(all.length).toBeGreaterThan(10);
    for (const { id, reason } of all) {
      expect(reason.length, id).toBeGreaterThan(20);
      expect(reason, id).not.toContain('\n');
    }
  });

  it('does report a finding, so an empty list means something', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Probe'), 'Unlogged');
    expect(findings(app)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1 at Probe\/Unlogged/)]),
    );
  });
});
