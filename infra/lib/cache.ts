import { Construct } from 'constructs';
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { REDIS_PORT } from './ports.js';

export interface CacheProps {
  readonly vpc: ec2.IVpc;
  readonly nodeType: string;
}

/**
 * Redis for cross-node matchmaking and the cache. It lives in isolated subnets and its
 * security group admits only the game servers (see GameServers), so no password is needed
 * to keep the internet out; TLS still protects the traffic inside the VPC.
 */
export class Cache extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  /** `rediss://host:port`, handed to the server as REDIS_URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis: reachable from the game servers only',
      allowAllOutbound: false,
    });

    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Isolated subnets for the matchmaking Redis',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });

    // One node is enough at small scale: matchmaking state is short-lived and rebuilt by
    // clients re-queueing. Add replicas and automatic failover when uptime matters more.
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Duel matchmaking and cache',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      port: REDIS_PORT,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: 0,
    });

    this.url = `rediss://${redis.attrPrimaryEndPointAddress}:${Token.asString(redis.attrPrimaryEndPointPort)}`;
  }
}
