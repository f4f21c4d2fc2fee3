import type { Construct } from 'constructs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Alarms } from './alarms.js';
import { Auth } from './auth.js';
import { Cache } from './cache.js';
import { Data } from './data.js';
import { GameServers, gameUdpPorts } from './game-servers.js';
import { LoadBalancer } from './load-balancer.js';
import { LogBucket } from './log-bucket.js';
import { Network } from './network.js';
import { deadLetterStatements, Results } from './results.js';
import { HTTP_PORT, METRICS_PORT, REDIS_PORT, RTC_UDP_PORT } from './ports.js';
import type { PlatformSettings } from './settings.js';
import { TurnFleet } from './turn.js';
import { vcpusOf } from './vcpus.js';
import { Web } from './web.js';

export interface PlatformStackProps extends StackProps {
  readonly settings: PlatformSettings;
  readonly artifactBucket: s3.IBucket;
  /** CLOUDFRONT-scope WebACL from the us-east-1 stack. */
  readonly edgeWebAclArn: string;
}

/** The whole platform in its region: the composition root of the constructs in lib/. */
export class PlatformStack extends Stack {
  readonly auth: Auth;
  readonly data: Data;
  readonly gameServers: GameServers;
  readonly loadBalancer: LoadBalancer;
  readonly alarms: Alarms;
  readonly turn: TurnFleet | undefined;
  readonly web: Web;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { settings } = props;
    // CloudFront standard logging writes with ACLs, hence aclWrites.
    const logBucket = new LogBucket(this, 'AccessLogs', { aclWrites: true }).bucket;
    const { vpc } = new Network(this, 'Network', { logBucket });
    this.auth = new Auth(this, 'Auth', { preventUserExistenceErrors: settings.mergeLoginErrors });
    this.data = new Data(this, 'Data');
    const cache = new Cache(this, 'Cache', { vpc, nodeType: settings.cacheNodeType });
    this.loadBalancer = new LoadBalancer(this, 'LoadBalancer', {
      vpc,
      certificateArn: settings.certificateArn,
      rateLimit: settings.rateLimit,
      logBucket,
    });
    this.alarms = new Alarms(this, 'Alarms', { key: this.data.key, email: settings.alarmEmail });
    // One server process per vCPU; the security groups open one UDP port per process.
    const nodes = vcpusOf(settings.instanceType);
    this.turn =
      settings.turnInstances === 0
        ? undefined
        : new TurnFleet(this, 'Turn', {
            vpc,
            instances: settings.turnInstances,
            instanceType: settings.turnInstanceType,
            gamePorts: gameUdpPorts(nodes),
            notifications: this.alarms.topic,
            sessionManager: settings.sessionManager,
          });

    this.gameServers = new GameServers(this, 'GameServers', {
      vpc,
      instanceType: settings.instanceType,
      minCapacity: settings.minCapacity,
      maxCapacity: settings.maxCapacity,
      desiredCapacity: settings.desiredCapacity,
      artifactBucket: props.artifactBucket,
      artifactVersion: settings.artifactVersion,
      sessionManager: settings.sessionManager,
      nodes,
      notifications: this.alarms.topic,
      resources: {
        players: this.data.players,
        matches: this.data.matches,
        key: this.data.key,
        userPool: this.auth.userPool,
        events: this.data.events,
      },
      environment: {
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: String(HTTP_PORT),
        RTC_UDP_PORT: String(RTC_UDP_PORT),
        // Client address = the entry CloudFront appended; the ALB appends the second hop.
        TRUST_PROXY_HOPS: '2',
        // /metrics only on loopback, for an agent on the node; never on the public port.
        METRICS_PORT: String(METRICS_PORT),
        METRICS_HOST: '127.0.0.1',
        // The room processes' own threads run SCHED_FIFO 1 (the unit's LimitRTPRIO=1 allows
        // it): ticks on time while the node serves logins (docs/architecture.md).
        ROOM_RT_PRIORITY: '1',
        AWS_REGION: this.region,
        COGNITO_USER_POOL_ID: this.auth.userPool.userPoolId,
        COGNITO_CLIENT_ID: this.auth.client.userPoolClientId,
        AUTH_MERGE_LOGIN_ERRORS: String(settings.mergeLoginErrors),
        PLAYERS_TABLE: this.data.players.tableName,
        MATCHES_TABLE: this.data.matches.tableName,
        // Match results go to this queue; the Results Lambda applies them.
        EVENTS_QUEUE_URL: this.data.events.queueUrl,
        EVENTS_DLQ_URL: this.data.eventsDeadLetters.queueUrl,
        ...(this.turn === undefined ? {} : { TURN_URLS: this.turn.urls.join(',') }),
      },
      secrets: {
        redis: { host: cache.host, port: cache.port, tokenArn: cache.authToken.secretArn },
        turnSecretArn: this.turn?.secret.secretArn,
      },
    });
    const { players, matches, key, events, eventsDeadLetters: deadLetters } = this.data;
    const results = { players, matches, key, events, deadLetters };
    new Results(this, 'Results', results);
    for (const s of deadLetterStatements(results)) this.gameServers.role.addToPrincipalPolicy(s);
    this.loadBalancer.forwardTo(this.gameServers.targetGroup);
    cache.securityGroup.connections.allowFrom(
      this.gameServers.securityGroup,
      ec2.Port.tcp(REDIS_PORT),
      'Game servers to Redis',
    );

    this.alarms.watch({
      alb: this.loadBalancer.alb,
      targetGroup: this.gameServers.targetGroup,
      deadLetters: this.data.eventsDeadLetters,
      autoScalingGroupName: this.gameServers.autoScalingGroup.autoScalingGroupName,
    });

    this.web = new Web(this, 'Web', {
      logBucket,
      loadBalancer: this.loadBalancer,
      originDomainName: settings.originDomainName ?? this.loadBalancer.alb.loadBalancerDnsName,
      webAclArn: props.edgeWebAclArn,
      domainName: settings.domainName,
      edgeCertificateArn: settings.edgeCertificateArn,
    });

    this.outputs(settings);
  }

  private outputs(settings: PlatformSettings): void {
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    out(
      'SiteUrl',
      `https://${settings.domainName ?? this.web.distribution.distributionDomainName}`,
      'Public address of the platform',
    );
    out('DistributionId', this.web.distribution.distributionId, 'For cache invalidations');
    out('WebBucketName', this.web.bucket.bucketName, 'Upload web/dist here');
    out(
      'LoadBalancerDnsName',
      this.loadBalancer.alb.loadBalancerDnsName,
      'originDomainName CNAME target',
    );
    out('UserPoolId', this.auth.userPool.userPoolId, 'COGNITO_USER_POOL_ID');
    out('UserPoolClientId', this.auth.client.userPoolClientId, 'COGNITO_CLIENT_ID');
    out('PlayersTableName', this.data.players.tableName, 'PLAYERS_TABLE');
    out('MatchesTableName', this.data.matches.tableName, 'MATCHES_TABLE');
    out('EventsQueueUrl', this.data.events.queueUrl, 'Match results and key events');
    out(
      'AutoScalingGroupName',
      this.gameServers.autoScalingGroup.autoScalingGroupName,
      'Game server group',
    );
    out('AlarmTopicArn', this.alarms.topic.topicArn, 'Subscribe operators here');
    if (this.turn !== undefined) {
      out('TurnUrls', this.turn.urls.join(','), 'TURN_URLS of the game servers');
    }
  }
}
