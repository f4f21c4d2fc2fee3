import { Construct } from 'constructs';
import { Arn, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { acknowledge } from './nag.js';
import { TURN_PORT, TURN_RELAY_PORTS, TURN_TLS_PORT } from './ports.js';
import { turnBootstrapCommands } from './turn-user-data.js';

export interface TurnFleetProps {
  readonly vpc: ec2.IVpc;
  readonly instances: number;
  readonly instanceType: string;
  /** The game servers' UDP ports (RTC_UDP_PORT..+NODES-1): the only place relays may send. */
  readonly gamePorts: ec2.Port;
  readonly notifications: sns.ITopic;
  readonly sessionManager: boolean;
}

/** Tag on the fleet's Elastic IPs; a booting node claims a free one carrying it. */
export const TURN_POOL_TAG = 'duel-turn-pool';

/**
 * A small coturn fleet for players whose networks block UDP: TURN over UDP and TCP on 3478
 * and over TLS on 443, with the TURN REST API scheme (use-auth-secret). Each node owns one
 * Elastic IP, so TURN_URLS is known at deploy time and survives node replacement.
 */
export class TurnFleet extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** TURN_URLS for the game servers: udp, tcp and tls URLs of every node. */
  readonly urls: string[];

  constructor(scope: Construct, id: string, props: TurnFleetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'coturn static-auth-secret (TURN REST API); the game servers sign with it',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    acknowledge(
      this.secret,
      'SMG4',
      'coturn and every game server read it at boot; rotate by redeploying, which replaces both',
    );

    const addresses = Array.from({ length: props.instances }, (_, i) => {
      const eip = new ec2.CfnEIP(this, `Address${i}`, { domain: 'vpc' });
      Tags.of(eip).add(TURN_POOL_TAG, stack.stackName);
      return eip;
    });
    this.urls = addresses.flatMap((eip) => [
      `turn:${eip.ref}:${TURN_PORT}?transport=udp`,
      `turn:${eip.ref}:${TURN_PORT}?transport=tcp`,
      `turns:${eip.ref}:${TURN_TLS_PORT}?transport=tcp`,
    ]);

    this.securityGroup = this.createSecurityGroup(props);
    const role = this.createRole(props, addresses);
    const instanceType = new ec2.InstanceType(props.instanceType);
    const arm = instanceType.architecture === ec2.InstanceArchitecture.ARM_64;
    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      ...turnBootstrapCommands({
        region: stack.region,
        secretArn: this.secret.secretArn,
        poolTag: TURN_POOL_TAG,
        poolValue: stack.stackName,
      }),
    );
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType,
      // Debian 12: coturn 4.6 and the AWS CLI come from its own archive.
      machineImage: ec2.MachineImage.fromSsmParameter(
        `/aws/service/debian/release/12/latest/${arm ? 'arm64' : 'amd64'}`,
      ),
      role,
      securityGroup: this.securityGroup,
      associatePublicIpAddress: true,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      userData,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(8, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
          }),
        },
      ],
    });
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate,
      // One node per Elastic IP: a replacement claims the address its predecessor freed.
      minCapacity: props.instances,
      maxCapacity: props.instances,
      healthChecks: autoscaling.HealthChecks.ec2(),
      // A new launch template replaces one node at a time: the old one terminates first
      // (the group is at its maximum), which frees the address its successor claims.
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        minInstancesInService: props.instances - 1,
      }),
      notifications: [{ topic: props.notifications }],
    });
  }

  /** Clients reach TURN from anywhere; relayed packets may only go to the game ports. */
  private createSecurityGroup(props: TurnFleetProps): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'TURN: clients from anywhere; relays only to the game servers UDP ports',
      allowAllOutbound: false,
    });
    const anywhere = ec2.Peer.anyIpv4();
    sg.addIngressRule(anywhere, ec2.Port.udp(TURN_PORT), 'TURN over UDP');
    sg.addIngressRule(anywhere, ec2.Port.tcp(TURN_PORT), 'TURN over TCP');
    sg.addIngressRule(anywhere, ec2.Port.tcp(TURN_TLS_PORT), 'TURN over TLS');
    sg.addIngressRule(
      anywhere,
      ec2.Port.udpRange(TURN_RELAY_PORTS.from, TURN_RELAY_PORTS.to),
      'Game servers answering on relayed addresses (coturn admits only permitted peers)',
    );
    // The game servers announce public addresses, which no security group reference can
    // match, so the destination is pinned by port here and by coturn's denied-peer-ip lists.
    sg.addEgressRule(anywhere, props.gamePorts, 'Relayed WebRTC to the game servers');
    sg.addEgressRule(anywhere, ec2.Port.tcp(443), 'AWS APIs and Debian packages (HTTPS)');
    acknowledge(sg, 'EC23', 'TURN must be reachable from any network; that is its purpose');
    return sg;
  }

  private createRole(props: TurnFleetProps, addresses: ec2.CfnEIP[]): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Duel TURN node: its secret and its fleet addresses only',
    });
    if (props.sessionManager) {
      role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
      );
    }
    this.secret.grantRead(role);
    const ec2Arn = (resource: string, name: string) =>
      Arn.format({ service: 'ec2', resource, resourceName: name }, stack);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListAddresses',
        actions: ['ec2:DescribeAddresses'],
        resources: ['*'],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ClaimAddress',
        actions: ['ec2:AssociateAddress'],
        resources: [
          ...addresses.map((eip) => ec2Arn('elastic-ip', eip.attrAllocationId)),
          ec2Arn('instance', '*'),
          ec2Arn('network-interface', '*'),
        ],
      }),
    );
    acknowledge(
      role,
      'IAM5[Resource::*]',
      'ec2:DescribeAddresses supports no resource-level permissions',
    );
    const region = stack.region;
    for (const kind of ['instance', 'network-interface']) {
      acknowledge(
        role,
        `IAM5[Resource::arn:${stack.partition}:ec2:${region}:<AWS::AccountId>:${kind}/*]`,
        'AssociateAddress names the node itself, unknown before launch; the addresses are pinned',
      );
    }
    return role;
  }
}
