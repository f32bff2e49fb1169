/**
 * The approval function as the Function URL invokes it: a page for a link (GET changes nothing), then
 * an approval posted from it, recorded in the state table (dynalite) and queued for the teardown
 * worker (an SQS queue on fauxqs). The keyring comes from the Secrets Manager secret as the stack
 * generates it (a FakeAwsServer).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUnverifiedClaims } from '../../../src/approval/approval-token.js';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { keyringFromSecretValue } from '../../../src/lambda/keyring-secret.js';
import { DynamoDbStateStore } from '../../../src/state/dynamodb-state-store.js';
import { messageLinks, sampleRecommendation, tokenOf } from '../../support/approval-fixtures.js';
import { deployPolicies } from '../../support/deployed-policies.js';
import { createStateTable, type LocalDynamoDb, startDynalite } from '../../support/dynalite.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { awsJsonError, FakeAwsServer } from '../../support/fake-aws-server.js';

const TABLE = 'pocketwatch-state';
const BASE_URL = 'https://abc.lambda-url.us-east-1.on.aws/';
/** The secret as the stateful stack generates it: one key, 64 letters and digits. */
const KEYS_SECRET_VALUE = JSON.stringify({ id: 'initial', secret: 'Q'.repeat(40) + 'z9'.repeat(12) });

let aws: FakeAwsServer;
let dynamo: LocalDynamoDb;
let fauxqs: FauxqsServer;
let restoreEnv: () => void;
let sqs: SQSClient;
let queueUrl: string;
let store: DynamoDbStateStore;
let dir: string;
type Handler = (event: LambdaFunctionURLEvent, context: Context) => Promise<LambdaFunctionURLResult>;
let handler: Handler;

const recommendation = sampleRecommendation();
const context = { awsRequestId: 'req-1', functionName: 'approval-endpoint' } as unknown as Context;

function urlEvent(method: string, query: Record<string, string>, body = ''): LambdaFunctionURLEvent {
  return {
    version: '2.0',
    rawPath: '/',
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (test)' },
    queryStringParameters: query,
    body,
    isBase64Encoded: false,
    requestContext: { http: { method, path: '/', sourceIp: '203.0.113.9' } },
  } as unknown as LambdaFunctionURLEvent;
}

async function queued(): Promise<unknown[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
  );
  return Messages.map((message) => JSON.parse(message.Body ?? '{}'));
}

beforeAll(async () => {
  // Secrets Manager fails the first read (the first test), then answers.
  aws = new FakeAwsServer().on('GetSecretValue', (_request, index) =>
    index === 0
      ? awsJsonError(400, 'AccessDeniedException', 'not authorized to perform secretsmanager:GetSecretValue')
      : { body: { ARN: 'keys', Name: 'keys', SecretString: KEYS_SECRET_VALUE, VersionId: 'v1' } },
  );
  const awsEndpoint = await aws.start();
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-approval-'));
  await writeFile(join(dir, 'settings.yaml'), 'currency: EUR\n');
  await writeFile(
    join(dir, 'chatbot.yaml'),
    'poc: chatbot-poc\nowners: [dana@example.com]\nteardown: { data: delete }\n',
  );
  dynamo = await startDynalite();
  fauxqs = await startFauxqs({ port: 0, logger: false });
  restoreEnv = useFakeAwsEnv({
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${fauxqs.port}`,
    POCKETWATCH_TABLE_NAME: TABLE,
    POCKETWATCH_POLICY_SET: await deployPolicies(dir),
    POCKETWATCH_APPROVAL_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:keys',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  await createStateTable(TABLE);
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'teardown' }))).QueueUrl as string;
  process.env.POCKETWATCH_TEARDOWN_QUEUE_URL = queueUrl;
  store = new DynamoDbStateStore({ tableName: TABLE, meter: new ApiMeter() });
  await store.recordProposals([recommendation], new Date());
  ({ handler } = await import('../../../functions/approval-endpoint.js'));
}, 60_000);

afterAll(async () => {
  delete process.env.POCKETWATCH_TEARDOWN_QUEUE_URL;
  sqs?.destroy();
  restoreEnv?.();
  await aws?.stop();
  await dynamo?.stop();
  await fauxqs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the approval function', () => {
  const links = () =>
    messageLinks(recommendation, BASE_URL, new Date(), keyringFromSecretValue(KEYS_SECRET_VALUE));

  it('answers with a page that changed nothing when its signing keys cannot be read', async () => {
    const response = (await handler(urlEvent('GET', { token: tokenOf(links().approve) }), context)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toContain('Something went wrong');
    expect((await store.getRecommendation(recommendation.id))?.state).toBe('proposed');
  });

  it('shows the confirmation page for a link and changes nothing', async () => {
    const token = tokenOf(links().approve);
    const response = await handler(urlEvent('GET', { token }), context);
    expect(response).toMatchObject({ statusCode: 200 });
    expect(JSON.stringify(response)).toContain('€');
    // The policy deletes data: the page promises no final copy.
    const { body } = response as { body: string };
    expect(body).toContain('Data is deleted.');
    expect(body).not.toContain('A final snapshot or backup is kept');
    expect((await store.getRecommendation(recommendation.id))?.state).toBe('proposed');
    expect(await queued()).toEqual([]);
    // Opening the link did not spend it.
    expect(await store.wasUsed(decodeUnverifiedClaims(token)?.nonce ?? '')).toBe(false);
  });

  it('records an approval posted from the page and queues the teardown', async () => {
    const body = new URLSearchParams({ token: tokenOf(links().approve), action: 'approve', name: 'Dana' });
    const response = await handler(urlEvent('POST', {}, body.toString()), context);
    expect(response).toMatchObject({ statusCode: 200 });
    const record = await store.getRecommendation(recommendation.id);
    expect(record?.state).toBe('approved');
    expect(record?.audit.at(-1)).toMatchObject({ event: 'approve', actor: 'Dana', from: 'link' });
    expect(await queued()).toEqual([{ recommendationId: recommendation.id }]);
  });

  it('refuses a link whose signature does not verify, without a trace of it in the state', async () => {
    const forged = `${tokenOf(links().reject).slice(0, -4)}AAAA`;
    const response = await handler(urlEvent('GET', { token: forged }), context);
    expect(response).toMatchObject({ statusCode: 403 });
    expect(await queued()).toEqual([]);
  });
});
