import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * A two-AZ VPC with no NAT gateways: game servers sit in public subnets because every node
 * must be reachable on its own public IP for WebRTC, and Redis sits in isolated subnets.
 * Gateway endpoints (free) keep S3 and DynamoDB traffic on the AWS network.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: { readonly logBucket: s3.IBucket }) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      // No workload uses the default security group; strip its rules (CIS 5.4).
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'cache', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      // Every accepted and rejected flow, to S3 (cheaper than CloudWatch Logs at volume).
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toS3(props.logBucket, 'vpc-flow/'),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
  }
}
