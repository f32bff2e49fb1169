/**
 * Real resources in moto, made with the AWS SDK for JavaScript as a PoC team would make them, and the
 * CloudWatch datapoints their services would have published. Everything a scan or a teardown then
 * reads goes over HTTP to moto: describe calls, the Tagging API, GetMetricData.
 */
import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AllocateAddressCommand,
  AttachVolumeCommand,
  CreateNatGatewayCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { addDaysIso, type IsoDate, todayIso } from '../../../src/core/calendar.js';
import { MOTO_ACCOUNT } from '../../support/moto.js';

const REGION = 'us-east-1';
/** An empty zip: moto stores the code and never runs it (no Invoke in these tests). */
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

export type Tags = Record<string, string>;
const tagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** SDK clients pointed at moto by the environment (useFakeAwsEnv with motoEndpoints). */
export class MotoAccount {
  /** `endpoint`: moto's, for the one call the project has no SDK client for (IAM CreateRole). */
  constructor(private readonly endpoint: string) {}

  readonly ec2 = new EC2Client({ region: REGION });
  readonly rds = new RDSClient({ region: REGION });
  readonly dynamodb = new DynamoDBClient({ region: REGION });
  readonly lambda = new LambdaClient({ region: REGION });
  readonly sqs = new SQSClient({ region: REGION, useQueueUrlAsEndpoint: false });
  readonly sns = new SNSClient({ region: REGION });
  readonly cloudwatch = new CloudWatchClient({ region: REGION });
  private subnetId: string | undefined;
  private roleArn: string | undefined;

  private async subnet(): Promise<string> {
    if (!this.subnetId) {
      const { Vpc } = await this.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
      const { Subnet } = await this.ec2.send(
        new CreateSubnetCommand({
          VpcId: Vpc?.VpcId,
          CidrBlock: '10.0.1.0/24',
          AvailabilityZone: 'us-east-1a',
        }),
      );
      this.subnetId = Subnet?.SubnetId as string;
    }
    return this.subnetId;
  }

  /** A NAT gateway with its own (untagged) Elastic IP. */
  async natGateway(tags: Tags): Promise<{ id: string; arn: string }> {
    const address = await this.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { NatGateway } = await this.ec2.send(
      new CreateNatGatewayCommand({
        SubnetId: await this.subnet(),
        AllocationId: address.AllocationId,
        TagSpecifications: [{ ResourceType: 'natgateway', Tags: tagList(tags) }],
      }),
    );
    const id = NatGateway?.NatGatewayId as string;
    return { id, arn: `arn:aws:ec2:${REGION}:${MOTO_ACCOUNT}:natgateway/${id}` };
  }

  async volume(tags: Tags): Promise<{ id: string; arn: string }> {
    const { VolumeId } = await this.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 8,
        TagSpecifications: [{ ResourceType: 'volume', Tags: tagList(tags) }],
      }),
    );
    return { id: VolumeId as string, arn: `arn:aws:ec2:${REGION}:${MOTO_ACCOUNT}:volume/${VolumeId}` };
  }

  async attach(volumeId: string, instanceId: string): Promise<void> {
    await this.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }),
    );
  }

  async instance(tags: Tags): Promise<{ id: string; arn: string }> {
    const { Instances = [] } = await this.ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: await this.subnet(),
        TagSpecifications: [{ ResourceType: 'instance', Tags: tagList(tags) }],
      }),
    );
    const id = Instances[0]?.InstanceId as string;
    return { id, arn: `arn:aws:ec2:${REGION}:${MOTO_ACCOUNT}:instance/${id}` };
  }

  async dbInstance(name: string, tags: Tags): Promise<{ id: string; arn: string }> {
    const { DBInstance } = await this.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: name,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'poc',
        MasterUserPassword: 'not-a-secret-1234',
        Tags: tagList(tags),
      }),
    );
    return { id: name, arn: DBInstance?.DBInstanceArn as string };
  }

  async table(name: string, tags: Tags): Promise<{ id: string; arn: string }> {
    const { TableDescription } = await this.dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        Tags: tagList(tags),
      }),
    );
    return { id: name, arn: TableDescription?.TableArn as string };
  }

  async lambdaFunction(name: string, tags: Tags): Promise<{ id: string; arn: string }> {
    // moto checks that a function's role exists. The project has no IAM client (pocketwatch never
    // calls IAM), so the role is made with one Query request; moto does not check
    // signatures.
    if (!this.roleArn) {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // moto routes by the service named in the credential scope.
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: new URLSearchParams({
          Action: 'CreateRole',
          Version: '2010-05-08',
          RoleName: 'poc-function-role',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          }),
        }).toString(),
      });
      const arn = /<Arn>([^<]+)<\/Arn>/.exec(await response.text())?.[1];
      if (!response.ok || !arn) throw new Error(`moto CreateRole answered ${response.status}`);
      this.roleArn = arn;
    }
    const created = await this.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: this.roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        Tags: tags,
      }),
    );
    return { id: name, arn: created.FunctionArn as string };
  }

  async queue(name: string, tags: Tags): Promise<{ id: string; arn: string; url: string }> {
    const { QueueUrl } = await this.sqs.send(new CreateQueueCommand({ QueueName: name, tags }));
    return { id: name, arn: `arn:aws:sqs:${REGION}:${MOTO_ACCOUNT}:${name}`, url: QueueUrl as string };
  }

  async topic(name: string, tags: Tags): Promise<{ id: string; arn: string }> {
    const { TopicArn } = await this.sns.send(new CreateTopicCommand({ Name: name, Tags: tagList(tags) }));
    return { id: name, arn: TopicArn as string };
  }

  /**
   * One datapoint a day at noon UTC for each of the `days` days before today (today excluded), as
   * `value(day)` says (undefined: none that day). moto keeps datapoints of any age; CloudWatch
   * accepts PutMetricData only up to two weeks back, so in AWS these would have been published as
   * they happened.
   */
  async daily(
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    days: number,
    value: (day: IsoDate) => number | undefined,
  ): Promise<void> {
    const data: MetricDatum[] = [];
    const today = todayIso();
    for (let back = days; back >= 1; back--) {
      const day = addDaysIso(today, -back);
      const at = value(day);
      if (at === undefined) continue;
      data.push({
        MetricName: metricName,
        Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
        Timestamp: new Date(`${day}T12:00:00Z`),
        Value: at,
      });
    }
    // PutMetricData takes at most 1,000 datapoints a call.
    for (let start = 0; start < data.length; start += 1000) {
      await this.cloudwatch.send(
        new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(start, start + 1000) }),
      );
    }
  }

  destroy(): void {
    for (const client of [
      this.ec2,
      this.rds,
      this.dynamodb,
      this.lambda,
      this.sqs,
      this.sns,
      this.cloudwatch,
    ]) {
      client.destroy();
    }
  }
}
