import { describe, expect, it } from 'vitest';
import { FALLBACK_REGION, readSettings } from '../lib/settings.js';

const read = (context: Record<string, unknown>, defaults: Record<string, string> = {}) =>
  readSettings({ context: (key) => context[key], ...defaults });

describe('readSettings', () => {
  it('has working defaults with no context and no environment', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      account: undefined,
      region: FALLBACK_REGION,
      instanceType: 't3.small',
      minCapacity: 1,
      maxCapacity: 4,
      desiredCapacity: undefined,
      domainName: undefined,
      edgeCertificateArn: undefined,
      certificateArn: undefined,
      originDomainName: undefined,
      artifactVersion: 'latest',
      cacheNodeType: 'cache.t4g.micro',
      mergeLoginErrors: false,
      rateLimit: 2000,
      sessionManager: false,
      turnInstances: 2,
      turnInstanceType: 't3.small',
      alarmEmail: undefined,
    });
  });

  it('takes the CLI default environment, and context over it', () => {
    const defaults = { defaultAccount: '123456789012', defaultRegion: 'eu-central-1' };
    expect(read({}, defaults)).toMatchObject({ account: '123456789012', region: 'eu-central-1' });
    expect(read({ region: 'ap-southeast-2' }, defaults).region).toBe('ap-southeast-2');
  });

  it('accepts CLI strings and cdk.json values alike', () => {
    expect(read({ minCapacity: '2', maxCapacity: 3, mergeLoginErrors: 'true' })).toMatchObject({
      minCapacity: 2,
      maxCapacity: 3,
      mergeLoginErrors: true,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(read({}))).toBe(true);
  });

  it.each([
    [{ region: 'mars-1' }, /"region"/],
    [{ minCapacity: '1.5' }, /"minCapacity": expected an integer/],
    [{ minCapacity: '3', maxCapacity: '2' }, /"maxCapacity"/],
    [{ desiredCapacity: '9' }, /"desiredCapacity"/],
    [{ mergeLoginErrors: 'yes' }, /"mergeLoginErrors": expected true or false/],
    [{ artifactVersion: '../etc' }, /"artifactVersion"/],
    [{ domainName: 'play.example.com' }, /"edgeCertificateArn"/],
    [{ certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }, /"certificateArn"/],
    [
      { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', region: 'us-east-1' },
      /"originDomainName"/,
    ],
    [
      {
        domainName: 'play.example.com',
        edgeCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x',
      },
      /"edgeCertificateArn": expected a certificate in us-east-1/,
    ],
    [{ stage: 'prod' }, /"stage": expected dev or production/],
    [
      { stage: 'production' },
      /"certificateArn": expected an ACM certificate for the ALB when stage=production/,
    ],
    [
      {
        stage: 'production',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x',
        originDomainName: 'origin.example.com',
      },
      /"edgeCertificateArn": expected a us-east-1 ACM certificate when stage=production/,
    ],
    [{ turnInstances: '5' }, /"turnInstances": expected an integer from 0 to 4/],
    [{ alarmEmail: 'ops' }, /"alarmEmail"/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => read({ region: 'eu-west-1', ...context })).toThrow(message);
  });
});
