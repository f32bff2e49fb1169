import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { handleApprovalRequest } from '../src/approval/approval-endpoint.js';
import { problemPage } from '../src/approval/approval-outcome-pages.js';
import { htmlResponse } from '../src/approval/approval-response.js';
import type { Keyring } from '../src/approval/keyring.js';
import { ApiMeter } from '../src/aws/api-meter.js';
import { awsClientConfig } from '../src/aws/aws-clients.js';
import { meterClient } from '../src/aws/metered-client.js';
import { deployedPolicySet } from '../src/lambda/deployed-policies.js';
import { functionUrlResult, httpRequestFromFunctionUrl } from '../src/lambda/function-url-http.js';
import { keyringFromSecretValue } from '../src/lambda/keyring-secret.js';
import { optionalEnv, requiredEnv } from '../src/lambda/lambda-env.js';
import { createLogger } from '../src/lambda/powertools.js';
import { CachedSecretReader } from '../src/lambda/secret-reader.js';
import { TeardownQueue } from '../src/lambda/teardown-queue.js';
import type { PolicySet } from '../src/policy/model.js';
import { teardownDataFor } from '../src/policy/teardown-data.js';
import { DynamoDbStateStore } from '../src/state/dynamodb-state-store.js';

/*
 * The approval endpoint behind the Function URL (auth NONE: the signed, single-use token in each link
 * is the authorisation). It translates the request, lets the approval code verify the token and record
 * the decision, and queues an approved teardown for the worker.
 */

const logger = createLogger('approval-endpoint');
const clientMeter = new ApiMeter();
const tableName = requiredEnv('tableName');
const store = new DynamoDbStateStore({ tableName, meter: clientMeter });
const secrets = new CachedSecretReader(
  meterClient(new SecretsManagerClient(awsClientConfig()), 'secretsmanager', clientMeter),
);
const keysSecretArn = requiredEnv('approvalKeysSecretArn');
const teardownQueue = new TeardownQueue(requiredEnv('teardownQueueUrl'), clientMeter);
const reportUrl = optionalEnv('reportUrl');

export async function handler(
  event: LambdaFunctionURLEvent,
  context: Context,
): Promise<LambdaFunctionURLResult> {
  logger.addContext(context);
  let keyring: Keyring;
  let policySet: PolicySet;
  try {
    keyring = keyringFromSecretValue(await secrets.read(keysSecretArn));
    // The validated policies: the billing currency, and what each PoC's teardown does with data.
    policySet = await deployedPolicySet();
  } catch (error) {
    // Still a page, with the same security headers, that says nothing was changed.
    logger.error('approval function not ready', { error });
    return functionUrlResult(htmlResponse(500, problemPage({ kind: 'error', reportUrl })));
  }
  const response = await handleApprovalRequest(httpRequestFromFunctionUrl(event), {
    keyring,
    store,
    // Spent nonces live in the state table too (a conditional put each).
    usedTokens: store,
    now: () => new Date(),
    ...(reportUrl ? { reportUrl } : {}),
    currency: policySet.settings.currency,
    teardownData: (poc) => teardownDataFor(policySet, poc),
    onError: (error) => logger.error('approval request failed', { error }),
    onDecision: async (record, action) => {
      if (action !== 'approve') return;
      await teardownQueue.send({ recommendationId: record.id });
      logger.info('teardown queued', { recommendationId: record.id });
    },
  });
  logger.info('approval request', { method: event.requestContext.http.method, status: response.status });
  return functionUrlResult(response);
}
