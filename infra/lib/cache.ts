import { Construct } from 'constructs';
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledge } from './nag.js';
import { REDIS_PORT } from './ports.js';

export interface CacheProps {
  readonly vpc: ec2.IVpc;
  readonly nodeType: string;
}

/**
 * Redis for cross-node matchmaking, presence and the cache: a primary and a replica in two
 * AZs with automatic failover, TLS in transit, encryption at rest, and an AUTH token kept in
 * Secrets Manager. It lives in isolated subnets and admits only the game servers.
 */
export class Cache extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  /** The AUTH token; nodes read it at boot and build REDIS_URL from it (see user-data.ts). */
  readonly authToken: secretsmanager.Secret;
  readonly host: string;
  readonly port: string;

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

    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'Redis AUTH token of the matchmaking cache',
      // ElastiCache accepts 16-128 printable characters without @, " or /.
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    });
    acknowledge(
      this.authToken,
      'SMG4',
      'ElastiCache takes a new AUTH token only through a ROTATE/SET modify; rotate by redeploying',
    );

    // Every node of the platform shares its queues and presence here, so a lost node must
    // not stop matchmaking: a replica in the other AZ takes over within seconds.
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Duel matchmaking and cache',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: REDIS_PORT,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: 0,
    });
    this.host = redis.attrPrimaryEndPointAddress;
    this.port = Token.asString(redis.attrPrimaryEndPointPort);
  }
}
