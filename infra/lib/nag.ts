import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag AwsSolutions finding on a construct (and its children), with the
 * one-line reason a reviewer reads in the validation report. Ids are full finding ids:
 * `AwsSolutions-IAM5[Resource::*]` for findings that name what they are about.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}
