/**
 * The CloudFormation stack deleter: CloudFormation's Query protocol, plus DynamoDB (JSON) for the
 * tables' final backups and S3 (REST-XML) to see whether a failed bucket still holds data, all served
 * by one fake endpoint.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloudformationStackDeleter as deleter } from '../../../../src/teardown/deleters/cloudformation-stack.js';
import { deleterFor } from '../../../../src/teardown/deleters.js';
import { useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { awsQueryError, FakeAwsServer, type RecordedRequest } from '../../../support/fake-aws-server.js';
import { ACCOUNT, clientPool, DISCARD, FINAL_COPY, KEEP, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
  });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const METADATA =
  '<ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>';
const ARN = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/orders-poc/e722ae60-fe62-11e8-9a0e-0ae8cc519968`;

function stack(status: string, reason?: string) {
  return {
    body: `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member>
      <StackName>orders-poc</StackName>
      <StackId>${ARN}</StackId>
      <CreationTime>2025-01-10T09:00:00.000Z</CreationTime>
      <StackStatus>${status}</StackStatus>
      ${reason ? `<StackStatusReason>${reason}</StackStatusReason>` : ''}
      <EnableTerminationProtection>${status === 'UPDATE_COMPLETE'}</EnableTerminationProtection>
      <Tags>
        <member><Key>poc</Key><Value>checkout</Value></member>
        <member><Key>owner</Key><Value>dana@example.com</Value></member>
      </Tags>
    </member></Stacks></DescribeStacksResult>${METADATA}</DescribeStacksResponse>`,
  };
}

interface Resource {
  logical: string;
  physical: string;
  type: string;
  status: string;
}

/** ListStackResources over `resources`, two to a page, as CloudFormation paginates with NextToken. */
function listResources(resources: readonly Resource[]) {
  return (request: RecordedRequest) => {
    const start = Number(request.body.NextToken ?? 0);
    const page = resources.slice(start, start + 2);
    const next = start + 2 < resources.length ? `<NextToken>${start + 2}</NextToken>` : '';
    const members = page
      .map(
        (resource) => `<member>
          <LogicalResourceId>${resource.logical}</LogicalResourceId>
          <PhysicalResourceId>${resource.physical}</PhysicalResourceId>
          <ResourceType>${resource.type}</ResourceType>
          <LastUpdatedTimestamp>2025-01-10T09:00:00.000Z</LastUpdatedTimestamp>
          <ResourceStatus>${resource.status}</ResourceStatus>
        </member>`,
      )
      .join('');
    return {
      body: `<ListStackResourcesResponse xmlns="${NS}"><ListStackResourcesResult><StackResourceSummaries>${members}</StackResourceSummaries>${next}</ListStackResourcesResult>${METADATA}</ListStackResourcesResponse>`,
    };
  };
}

const deleted = { body: `<DeleteStackResponse xmlns="${NS}">${METADATA}</DeleteStackResponse>` };

describe('CloudFormation stack deleter', () => {
  it('is found for stack ARNs', () => {
    expect(deleterFor(target(ARN))).toBe(deleter);
    expect(deleter.order).toBe(10);
  });

  it('describes the stack: tags, termination protection, creation time; deleting; failed; gone', async () => {
    const answers = [
      stack('UPDATE_COMPLETE'),
      stack('DELETE_IN_PROGRESS'),
      stack('DELETE_FAILED', 'The following resource(s) failed to delete: [DataBucket]. '),
      stack('DELETE_COMPLETE'),
      awsQueryError(400, 'ValidationError', 'Stack with id orders-poc does not exist'),
    ];
    server.on('DescribeStacks', (_request, index) => answers[index] ?? stack('DELETE_COMPLETE'));
    const clients = clientPool();
    expect(await deleter.describe(clients, target(ARN))).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
      protection: 'termination protection is on',
      state: { createdAt: '2025-01-10T09:00:00.000Z' },
    });
    expect(server.calls('DescribeStacks')[0]?.body).toEqual({
      Action: 'DescribeStacks',
      Version: '2010-05-15',
      StackName: ARN,
    });
    expect((await deleter.describe(clients, target(ARN))).status).toBe('deleting');
    const failed = await deleter.describe(clients, target(ARN));
    expect(failed.status).toBe('present');
    expect(failed.failure).toBe('The following resource(s) failed to delete: [DataBucket]. ');
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    expect(await deleter.describe(clients, target(ARN))).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('does not take every validation error for gone', async () => {
    server.on('DescribeStacks', () => awsQueryError(400, 'ValidationError', '1 validation error detected'));
    const clients = clientPool();
    await expect(deleter.describe(clients, target(ARN))).rejects.toThrow(/ValidationError/);
    clients.destroy();
  });

  it('backs up every DynamoDB table of the stack once, waits for the backups, then deletes the stack', async () => {
    const resources: Resource[] = [
      {
        logical: 'OrdersTable',
        physical: 'orders-poc-OrdersTable-1A2B3C',
        type: 'AWS::DynamoDB::Table',
        status: 'CREATE_COMPLETE',
      },
      {
        logical: 'Handler',
        physical: 'orders-poc-Handler-9Z8Y',
        type: 'AWS::Lambda::Function',
        status: 'CREATE_COMPLETE',
      },
      {
        logical: 'Database',
        physical: 'orders-poc-db',
        type: 'AWS::RDS::DBInstance',
        status: 'CREATE_COMPLETE',
      },
      {
        logical: 'EventsTable',
        physical: 'orders-poc-EventsTable-4D5E',
        type: 'AWS::DynamoDB::GlobalTable',
        status: 'UPDATE_COMPLETE',
      },
    ];
    const backups = new Map<string, string>();
    let status = 'CREATING';
    server
      .on('DescribeStacks', () => stack('CREATE_COMPLETE'))
      .on('ListStackResources', listResources(resources))
      .on('ListBackups', (request) => {
        const table = String(request.body.TableName);
        const arn = backups.get(table);
        return {
          body: {
            BackupSummaries: arn
              ? [{ TableName: table, BackupName: FINAL_COPY, BackupArn: arn, BackupStatus: status }]
              : [],
          },
        };
      })
      .on('CreateBackup', (request) => {
        const table = String(request.body.TableName);
        const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${table}/backup/0173649960000${backups.size}`;
        backups.set(table, arn);
        return {
          body: {
            BackupDetails: {
              BackupArn: arn,
              BackupName: FINAL_COPY,
              BackupStatus: 'CREATING',
              BackupType: 'USER',
              BackupCreationDateTime: 1736499600,
            },
          },
        };
      })
      .on('DeleteStack', () => deleted);
    const clients = clientPool();
    const kept = [
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-poc-OrdersTable-1A2B3C/backup/01736499600000`,
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders-poc-EventsTable-4D5E/backup/01736499600001`,
    ].join(', ');

    const first = await deleter.delete(clients, target(ARN), KEEP);
    expect(first.kept).toBe(kept);
    expect(first.waitingFor).toMatch(
      /orders-poc-OrdersTable-1A2B3C \(CREATING\).*orders-poc-EventsTable-4D5E \(CREATING\)/,
    );
    expect(server.calls('CreateBackup').map((call) => call.body)).toEqual([
      { TableName: 'orders-poc-OrdersTable-1A2B3C', BackupName: FINAL_COPY },
      { TableName: 'orders-poc-EventsTable-4D5E', BackupName: FINAL_COPY },
    ]);
    expect(server.calls('ListStackResources').map((call) => call.body)).toEqual([
      { Action: 'ListStackResources', Version: '2010-05-15', StackName: ARN },
      { Action: 'ListStackResources', Version: '2010-05-15', StackName: ARN, NextToken: '2' },
    ]);
    expect(server.calls('DeleteStack')).toHaveLength(0);

    expect((await deleter.delete(clients, target(ARN), KEEP)).waitingFor).toMatch(/\(CREATING\)/);
    status = 'AVAILABLE';
    expect(await deleter.delete(clients, target(ARN), KEEP)).toEqual({ kept });
    expect(server.calls('CreateBackup')).toHaveLength(2);
    expect(server.calls('DeleteStack').map((call) => call.body)).toEqual([
      { Action: 'DeleteStack', Version: '2010-05-15', StackName: ARN },
    ]);
    clients.destroy();
  });

  it('deletes the stack straight away when data is not kept, and not twice', async () => {
    server
      .on('DescribeStacks', (_request, index) =>
        stack(index === 0 ? 'CREATE_COMPLETE' : 'DELETE_IN_PROGRESS'),
      )
      .on('DeleteStack', () => deleted);
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.requests.map((request) => request.operation)).toEqual([
      'DescribeStacks',
      'DeleteStack',
      'DescribeStacks',
    ]);
    clients.destroy();
  });

  it('retries a failed deletion retaining the non-empty buckets that failed, when data is kept', async () => {
    const resources: Resource[] = [
      {
        logical: 'DataBucket',
        physical: 'orders-poc-databucket-1x2y',
        type: 'AWS::S3::Bucket',
        status: 'DELETE_FAILED',
      },
      {
        logical: 'LogsBucket',
        physical: 'orders-poc-logsbucket-3z4w',
        type: 'AWS::S3::Bucket',
        status: 'DELETE_FAILED',
      },
      {
        logical: 'OrdersTable',
        physical: 'orders-poc-OrdersTable-1A2B3C',
        type: 'AWS::DynamoDB::Table',
        status: 'DELETE_COMPLETE',
      },
      { logical: 'Role', physical: 'orders-poc-Role-5V6U', type: 'AWS::IAM::Role', status: 'DELETE_FAILED' },
    ];
    const versions = (key: string) =>
      `<Version><Key>${key}</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><LastModified>2026-11-20T10:00:00.000Z</LastModified><Size>3</Size></Version>`;
    server
      .on('DescribeStacks', () =>
        stack('DELETE_FAILED', 'The following resource(s) failed to delete: [DataBucket, LogsBucket, Role].'),
      )
      .on('ListStackResources', listResources(resources))
      // DataBucket still holds an object; LogsBucket is empty by now.
      .on('GET /orders-poc-databucket-1x2y/', () => ({
        body: `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="${S3_NS}"><Name>orders-poc-databucket-1x2y</Name><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated>${versions('orders.csv')}</ListVersionsResult>`,
      }))
      .on('GET /orders-poc-logsbucket-3z4w/', () => ({
        body: `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="${S3_NS}"><Name>orders-poc-logsbucket-3z4w</Name><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListVersionsResult>`,
      }))
      .on('DeleteStack', () => deleted);
    const clients = clientPool();
    const result = await deleter.delete(clients, target(ARN), KEEP);
    expect(result).toEqual({ kept: 'retained non-empty S3 bucket orders-poc-databucket-1x2y (DataBucket)' });
    expect(server.calls('CreateBackup')).toHaveLength(0);
    expect(server.calls('GET /orders-poc-databucket-1x2y/')[0]?.query).toMatchObject({
      versions: '',
      'max-keys': '1',
    });
    expect(server.calls('DeleteStack').map((call) => call.body)).toEqual([
      {
        Action: 'DeleteStack',
        Version: '2010-05-15',
        StackName: ARN,
        'RetainResources.member.1': 'DataBucket',
      },
    ]);
    clients.destroy();
  });

  it('retries a failed deletion as it is when data is not kept', async () => {
    server.on('DescribeStacks', () => stack('DELETE_FAILED', 'failed')).on('DeleteStack', () => deleted);
    const clients = clientPool();
    expect(await deleter.delete(clients, target(ARN), DISCARD)).toEqual({});
    expect(server.calls('DeleteStack')[0]?.body).toEqual({
      Action: 'DeleteStack',
      Version: '2010-05-15',
      StackName: ARN,
    });
    clients.destroy();
  });

  it('reports, once gone, the resources its DeletionPolicy retained', async () => {
    const resources: Resource[] = [
      {
        logical: 'DataBucket',
        physical: 'orders-poc-databucket-1x2y',
        type: 'AWS::S3::Bucket',
        status: 'DELETE_SKIPPED',
      },
      {
        logical: 'Handler',
        physical: 'orders-poc-Handler-9Z8Y',
        type: 'AWS::Lambda::Function',
        status: 'DELETE_COMPLETE',
      },
      { logical: 'Address', physical: '198.51.100.7', type: 'AWS::EC2::EIP', status: 'DELETE_SKIPPED' },
    ];
    server.on('ListStackResources', listResources(resources));
    const clients = clientPool();
    expect(await deleter.afterGone?.(clients, target(ARN))).toBe(
      'retained: DataBucket AWS::S3::Bucket orders-poc-databucket-1x2y; retained: Address AWS::EC2::EIP 198.51.100.7',
    );
    server.reset();
    server.on(
      'ListStackResources',
      listResources(resources.filter((resource) => resource.status !== 'DELETE_SKIPPED')),
    );
    expect(await deleter.afterGone?.(clients, target(ARN))).toBeUndefined();
    server.reset();
    server.on('ListStackResources', () =>
      awsQueryError(400, 'ValidationError', `Stack with id ${ARN} does not exist`),
    );
    expect(await deleter.afterGone?.(clients, target(ARN))).toBeUndefined();
    clients.destroy();
  });
});
