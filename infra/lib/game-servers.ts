import { Construct } from 'constructs';
import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { acknowledge } from './nag.js';
import { DEREGISTRATION_DELAY_SECONDS, DRAIN_HOOK_NAME, HTTP_PORT, RTC_UDP_PORT } from './ports.js';
import { serverPolicyStatements, type ServerResources } from './server-policy.js';
import { bootstrapCommands, type BootSecrets, TLS_CERT_FILE, TLS_KEY_FILE } from './user-data.js';

export interface GameServersProps {
  readonly vpc: ec2.IVpc;
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly desiredCapacity: number | undefined;
  readonly artifactBucket: s3.IBucket;
  readonly artifactVersion: string;
  readonly sessionManager: boolean;
  /** Server processes per node (NODES), one per vCPU; each owns one UDP port. */
  readonly nodes: number;
  /** Launch, terminate and failure notifications of the group. */
  readonly notifications: sns.ITopic;
  /** The data, identity and queue resources the server role may touch. */
  readonly resources: Omit<
    ServerResources,
    'artifactObjectArn' | 'logGroups' | 'autoScalingGroupName' | 'secretArns'
  >;
  /** The service's environment, minus PUBLIC_IP which each node reads at start. */
  readonly environment: Readonly<Record<string, string>>;
  /** Settings the node reads from Secrets Manager at boot. */
  readonly secrets: BootSecrets;
}

/** The UDP ports of a node's server processes: RTC_UDP_PORT .. RTC_UDP_PORT + nodes - 1. */
export function gameUdpPorts(nodes: number): ec2.Port {
  return nodes === 1
    ? ec2.Port.udp(RTC_UDP_PORT)
    : ec2.Port.udpRange(RTC_UDP_PORT, RTC_UDP_PORT + nodes - 1);
}

/** Object key of a release tarball in the artifact bucket. */
export function artifactKey(version: string): string {
  return `releases/${version}/duel-platform.tgz`;
}

/**
 * The authoritative game servers: an Auto Scaling group of Amazon Linux 2023 instances in
 * public subnets. Each node is reachable on its own public IP and one UDP port, which is
 * what lets the SDP answer of a match point the players straight at the hosting node.
 */
export class GameServers extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly metricsLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GameServersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // A fixed name breaks the launch template -> ASG -> user data cycle: the drain script
    // and the role's lifecycle permission need the group's name before the group exists.
    const groupName = `${stack.stackName}-game-servers`;
    const key = artifactKey(props.artifactVersion);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Game servers: HTTPS from the ALB, WebRTC UDP from anywhere',
      allowAllOutbound: false,
    });
    // ICE UDP mux: every peer of every match of server process i uses port RTC_UDP_PORT + i.
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(),
      gameUdpPorts(props.nodes),
      'WebRTC (ICE UDP mux, one port per server process)',
    );
    acknowledge(
      this.securityGroup,
      'EC23',
      'WebRTC: players connect from any address straight to the node hosting their match',
    );
    // Outbound: AWS APIs and packages over HTTPS; WebRTC replies to browsers' ephemeral
    // UDP ports. Redis egress is added by the cache's security group rule.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs, packages');
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.allUdp(), 'WebRTC to browsers');

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      // Operational logs only; nothing here outlives the stack's purpose.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // EMF records of the scraped /metrics; the metrics outlive them, so a week is plenty.
    this.metricsLogGroup = new logs.LogGroup(this, 'MetricsLogs', {
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Duel game server: its tables, key, user pool, queue and release only',
    });
    if (props.sessionManager) {
      this.role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
      );
    }
    for (const statement of serverPolicyStatements(this, {
      ...props.resources,
      artifactObjectArn: props.artifactBucket.arnForObjects(key),
      logGroups: [this.logGroup, this.metricsLogGroup],
      autoScalingGroupName: groupName,
      secretArns: [props.secrets.redis.tokenArn, props.secrets.turnSecretArn].filter(
        (arn): arn is string => arn !== undefined,
      ),
    })) {
      this.role.addToPrincipalPolicy(statement);
    }
    acknowledge(
      this.role,
      'IAM5[Resource::*]',
      'cloudwatch:PutMetricData has no resource type; a condition pins it to the CWAgent namespace',
    );
    acknowledge(
      this.role,
      `IAM5[Resource::arn:${stack.partition}:autoscaling:${stack.region}:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/${groupName}]`,
      'The group id is unknown before creation; the name pins the group',
    );

    const userData = ec2.UserData.forLinux();
    const instanceType = new ec2.InstanceType(props.instanceType);
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType,
      machineImage: ec2.MachineImage.latestAmazonLinux2023({
        cpuType:
          instanceType.architecture === ec2.InstanceArchitecture.ARM_64
            ? ec2.AmazonLinuxCpuType.ARM_64
            : ec2.AmazonLinuxCpuType.X86_64,
      }),
      role: this.role,
      securityGroup: this.securityGroup,
      associatePublicIpAddress: true,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      userData,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(16, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
          }),
        },
      ],
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      autoScalingGroupName: groupName,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      desiredCapacity: props.desiredCapacity,
      // EC2 status checks only: /readyz fails on every node at once when Cognito or
      // DynamoDB falters, and replacing the whole fleet then would only make things worse.
      // The ALB stops routing to a node that is not ready; systemd restarts a crashed server.
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      // A node counts only once /readyz answers on it (see user-data.ts); a release that
      // never gets ready fails the deployment and CloudFormation rolls back. An empty group
      // has nothing to wait for.
      signals:
        props.minCapacity > 0
          ? autoscaling.Signals.waitForMinCapacity({ timeout: Duration.minutes(15) })
          : undefined,
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        minInstancesInService: Math.min(props.minCapacity, props.maxCapacity - 1),
      }),
      groupMetrics: [autoscaling.GroupMetrics.all()],
      notifications: [{ topic: props.notifications }],
    });

    if (props.desiredCapacity !== undefined) {
      // Asked for explicitly: every deployment then resets the group to this size.
      Annotations.of(this.autoScalingGroup).acknowledgeWarning(
        '@aws-cdk/aws-autoscaling:desiredCapacitySet',
        'desiredCapacity is an explicit setting (see docs/deployment.md)',
      );
    }

    this.autoScalingGroup.addLifecycleHook('Drain', {
      lifecycleHookName: DRAIN_HOOK_NAME,
      lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
      // Deregistration delay + 5 s server shutdown fit well inside; if the drain script
      // dies, termination still continues after this.
      heartbeatTimeout: Duration.minutes(2),
      defaultResult: autoscaling.DefaultResult.CONTINUE,
    });

    userData.addCommands(
      ...bootstrapCommands({
        region: stack.region,
        stackName: stack.stackName,
        signalResource: stack.getLogicalId(
          this.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup,
        ),
        artifactBucket: props.artifactBucket.bucketName,
        artifactKey: key,
        artifactVersion: props.artifactVersion,
        autoScalingGroupName: groupName,
        logGroupName: this.logGroup.logGroupName,
        metricsLogGroupName: this.metricsLogGroup.logGroupName,
        environment: {
          ...props.environment,
          NODES: String(props.nodes),
          TLS_CERT_FILE,
          TLS_KEY_FILE,
        },
        secrets: props.secrets,
      }),
    );

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      port: HTTP_PORT,
      // Encrypted to the node with its own self-signed certificate (user-data.ts); the ALB
      // does not validate target certificates, so none needs a CA.
      protocol: elbv2.ApplicationProtocol.HTTPS,
      targetType: elbv2.TargetType.INSTANCE,
      targets: [this.autoScalingGroup],
      // No stickiness: any process of any node answers any call (state lives in Redis).
      // Long enough for normal requests to finish; SSE streams are cut and re-opened by
      // clients on another node.
      deregistrationDelay: Duration.seconds(DEREGISTRATION_DELAY_SECONDS),
      healthCheck: {
        path: '/readyz',
        port: String(HTTP_PORT),
        protocol: elbv2.Protocol.HTTPS,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
  }
}
