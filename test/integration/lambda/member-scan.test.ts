/**
 * The member-scan function of an organisation run, over the wire: it assumes the member role (STS on a
 * FakeAwsServer), scans that account with the role's credentials and stores the result in the state
 * table (dynalite) under the run's id; a role it cannot assume is stored as a failed scan and fails the
 * invocation, so Step Functions can retry it and the report can name the account.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import type { MemberScanSummary } from '../../../src/lambda/member-scan-event.js';
import { MemberScanStore } from '../../../src/state/member-scan-store.js';
import { deployPolicies } from '../../support/deployed-policies.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { dailyMetrics, ec2State, taggedResources } from '../../support/fake-account.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

const MEMBER = '444455556666';
const DENIED = '777788889999';
const TABLE = 'pocketwatch-state';

let aws: FakeAwsServer;
let dynamo: LocalDynamoDb;
let restoreEnv: () => void;
let dir: string;
let handler: (event: unknown, context: Context) => Promise<MemberScanSummary>;

const context = {
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:member-scan',
} as unknown as Context;

function assumeRoleResponse(roleArn: string) {
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAMEMBEREXAMPLE</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>member-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

beforeAll(async () => {
  aws = new FakeAwsServer()
    .on('AssumeRole', (request) => {
      const roleArn = String(request.body.RoleArn);
      if (roleArn.includes(DENIED)) {
        return {
          status: 403,
          body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>1</RequestId></ErrorResponse>',
        };
      }
      return { body: assumeRoleResponse(roleArn) };
    })
    .on(
      'GetResources',
      taggedResources(() => [
        { arn: `arn:aws:lambda:us-east-1:${MEMBER}:function:idle-fn`, tags: { poc: 'alpha' } },
      ]),
    )
    .on(
      'GetMetricData',
      dailyMetrics(() => undefined),
    );
  ec2State(aws);
  const endpoint = await aws.start();
  dynamo = await startDynalite();
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-member-'));
  await writeFile(join(dir, 'alpha.yaml'), 'poc: alpha\nowners: [a@example.com]\nbudget: { monthly: 100 }\n');
  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    POCKETWATCH_AWS_MAX_ATTEMPTS: '1',
    POCKETWATCH_TABLE_NAME: TABLE,
    POCKETWATCH_MEMBER_ROLE_NAME: 'pocketwatch-member-scan',
    POCKETWATCH_POLICY_SET: await deployPolicies(dir),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await createStateTable(TABLE);
  ({ handler } = await import('../../../functions/member-scan.js'));
}, 60_000);

afterAll(async () => {
  restoreEnv?.();
  await aws?.stop();
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the member-scan function', () => {
  it('scans the member account with the member role’s credentials and stores what it found', async () => {
    const summary = await handler({ account: MEMBER, runId: 'run-1', asOf: '2026-11-19' }, context);
    expect(summary).toEqual({ account: MEMBER, status: 'scanned', recommendations: 1, taggedResources: 1 });
    expect(aws.calls('AssumeRole')[0]?.body).toMatchObject({
      RoleArn: `arn:aws:iam::${MEMBER}:role/pocketwatch-member-scan`,
      RoleSessionName: 'pocketwatch-run-1',
    });
    const scanCalls = [...aws.calls('GetResources'), ...aws.calls('GetMetricData')];
    expect(scanCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of scanCalls) {
      expect(String(call.headers.authorization)).toContain('Credential=ASIAMEMBEREXAMPLE/');
    }
    const [record] = await new MemberScanStore({ tableName: TABLE, meter: new ApiMeter() }).list('run-1');
    expect(record?.result?.recommendations.map((r) => r.resources.map((resource) => resource.arn))).toEqual([
      [`arn:aws:lambda:us-east-1:${MEMBER}:function:idle-fn`],
    ]);
  });

  it('stores a role it cannot assume as a failed scan, and fails', async () => {
    await expect(handler({ account: DENIED, runId: 'run-1', asOf: '2026-11-19' }, context)).rejects.toThrow(
      /cannot assume arn:aws:iam::777788889999:role\/pocketwatch-member-scan/,
    );
    const records = await new MemberScanStore({ tableName: TABLE, meter: new ApiMeter() }).list('run-1');
    expect(records.find((record) => record.account === DENIED)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('cannot assume'),
    });
  });
});
