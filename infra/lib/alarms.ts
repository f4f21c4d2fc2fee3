import { Construct } from 'constructs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { TICK_RATE } from '../../shared/src/sim/constants.js';
import { ROOM_METRICS_NAMESPACE, SCRAPE_JOB, TICK_LAG_METRIC } from './cloudwatch-agent.js';

/** Thresholds, named so the tests and docs/deployment.md quote the same numbers. */
export const ALARM_THRESHOLDS = {
  /** A whole tick late at p99 on the worst node: players feel it as stutter. */
  tickLagP99Ms: Math.round(1000 / TICK_RATE),
  /** Percent of ALB requests answered 5xx (by the ALB or a server). */
  http5xxPercent: 5,
  unhealthyHosts: 1,
  deadLetters: 1,
  cpuPercent: 80,
} as const;

export interface AlarmsProps {
  /** Encrypts the topic; CloudWatch and Auto Scaling get use of it here. */
  readonly key: kms.IKey;
  readonly email: string | undefined;
}

export interface AlarmSources {
  readonly alb: elbv2.IApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly deadLetters: sqs.IQueue;
  readonly autoScalingGroupName: string;
}

/** One SNS topic for every alarm and Auto Scaling notification of the platform. */
export class Alarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Duel platform alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
    allowPublishers(props.key);
  }

  /** The five alarms; each notifies on ALARM and on OK. */
  watch(sources: AlarmSources): void {
    const five = Duration.minutes(5);
    const add = (
      id: string,
      description: string,
      spec: cloudwatch.CreateAlarmOptions,
      metric: cloudwatch.IMetric,
    ) => {
      const alarm = new cloudwatch.Alarm(this, id, {
        metric,
        alarmDescription: description,
        ...spec,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
    };
    const t = ALARM_THRESHOLDS;

    add(
      'TickLag',
      `Room tick lag p99 above ${t.tickLagP99Ms} ms on a node`,
      {
        threshold: t.tickLagP99Ms,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        // No matches, no ticks: silence is not a fault.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      new cloudwatch.Metric({
        namespace: ROOM_METRICS_NAMESPACE,
        metricName: TICK_LAG_METRIC,
        dimensionsMap: { job: SCRAPE_JOB, quantile: '0.99' },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
    );

    const lb = sources.alb.metrics;
    add(
      'Http5xx',
      `More than ${t.http5xxPercent}% of requests answered 5xx`,
      {
        threshold: t.http5xxPercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      new cloudwatch.MathExpression({
        expression: '100 * (elb5xx + target5xx) / MAX([requests, 1])',
        usingMetrics: {
          elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: five }),
          target5xx: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: five }),
          requests: lb.requestCount({ period: five }),
        },
        label: '5xx percent',
        period: five,
      }),
    );

    add(
      'UnhealthyHosts',
      'A game server fails its /readyz health check',
      {
        threshold: t.unhealthyHosts,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      sources.targetGroup.metrics.unhealthyHostCount({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
    );

    add(
      'DeadLetters',
      'Events failed for good and wait in the dead-letter queue',
      {
        threshold: t.deadLetters,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      sources.deadLetters.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: five,
      }),
    );

    add(
      'Cpu',
      `Game server CPU above ${t.cpuPercent}% on average`,
      {
        threshold: t.cpuPercent,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      },
      new cloudwatch.Metric({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensionsMap: { AutoScalingGroupName: sources.autoScalingGroupName },
        statistic: cloudwatch.Stats.AVERAGE,
        period: five,
      }),
    );
  }
}

/**
 * An encrypted topic only receives from services allowed to use its key: CloudWatch alarms,
 * and Auto Scaling through its service-linked role (instance launch/terminate notifications).
 */
function allowPublishers(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AlarmsPublishToEncryptedTopic',
      principals: [
        new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
        new iam.ArnPrincipal(
          `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        ),
      ],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }),
  );
}
