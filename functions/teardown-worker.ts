import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { publishTeardownOutcome } from '../src/app/teardown-notify.js';
import { runTeardown } from '../src/app/teardown-run.js';
import { queuedTeardownDecision } from '../src/approval/queued-teardown.js';
import { ApiMeter } from '../src/aws/api-meter.js';
import { awsClientConfig } from '../src/aws/aws-clients.js';
import { SnsPublisher } from '../src/delivery/sns-publisher.js';
import { CloudWatchActivityReader } from '../src/inventory/cloudwatch-activity.js';
import { parseArn } from '../src/inventory/resource.js';
import { deployedPolicySet } from '../src/lambda/deployed-policies.js';
import { requiredEnv } from '../src/lambda/lambda-env.js';
import { createLogger, createMetrics } from '../src/lambda/powertools.js';
import {
  parseTeardownMessage,
  TEARDOWN_MAX_RESUMES,
  TEARDOWN_RESUME_DELAY_SECONDS,
  type TeardownMessage,
} from '../src/lambda/teardown-message.js';
import { TeardownQueue } from '../src/lambda/teardown-queue.js';
import { DynamoDbStateStore } from '../src/state/dynamodb-state-store.js';
import { AwsClientPool } from '../src/teardown/aws-client-pool.js';

/*
 * The teardown worker: one approved recommendation per message (the approval endpoint queues it, and
 * the daily run queues any approval still waiting, such as one made on the command line).
 * It runs as the teardown role, the only role allowed to delete, and one at a time (reserved
 * concurrency 1). runTeardown re-checks every resource, records the plan and deletes; when slow
 * deletions outlast this invocation, the worker queues the teardown again with a delay and the same
 * owner, which resumes its own execution.
 */

const logger = createLogger('teardown-worker');
const metrics = createMetrics('teardown-worker');
const clientMeter = new ApiMeter();
const state = new DynamoDbStateStore({ tableName: requiredEnv('tableName'), meter: clientMeter });
const publisher = new SnsPublisher({ meter: clientMeter });
const teardownQueue = new TeardownQueue(requiredEnv('teardownQueueUrl'), clientMeter);
const alertTopicArn = requiredEnv('alertTopicArn');

/** Left for recording outcomes and queueing the resume after the executor stops waiting. */
const DEADLINE_MARGIN_MS = 30_000;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  // The queue's batch size is 1; a larger batch would still be handled one message at a time.
  for (const record of event.Records) {
    try {
      await tearDown(parseTeardownMessage(record.body), context);
    } catch (error) {
      logger.error('teardown failed', { error, messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

async function tearDown(message: TeardownMessage, context: Context): Promise<void> {
  const owner = message.owner ?? context.awsRequestId;
  const decision = queuedTeardownDecision(
    await state.getRecommendation(message.recommendationId),
    owner,
    new Date(),
  );
  if (!decision.run) {
    logger.info('teardown message acknowledged without action', {
      recommendationId: message.recommendationId,
      reason: decision.reason,
    });
    return;
  }
  const policySet = await deployedPolicySet();
  const { settings } = policySet;
  const meter = new ApiMeter();
  // The function's own ARN names the account its role acts in: no STS call (nor its client) needed.
  const account = parseArn(context.invokedFunctionArn).account;
  // Outside the allow-list the teardown only plans: the plan is logged, nothing is deleted.
  const mode = settings.teardownAccounts?.includes(account) ? 'execute' : 'dry-run';
  const clients = new AwsClientPool(meter);
  const activity = new CloudWatchActivityReader({ ...awsClientConfig(), meter });
  logger.appendKeys({ recommendationId: message.recommendationId, mode, owner });
  try {
    const result = await runTeardown({
      id: message.recommendationId,
      mode,
      store: state,
      policySet,
      aws: { clients, activity, account },
      actor: 'pocketwatch',
      from: 'executor',
      owner,
      deadline: Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
      onOutcome: (outcome) => logger.info('resource outcome', { outcome }),
      onFinished: async (finished) => {
        const policy = policySet.policies.find((candidate) => candidate.poc === finished.recommendation.poc);
        await publishTeardownOutcome({
          record: finished,
          owners: policy?.owners ?? [],
          currency: settings.currency,
          topicArn: alertTopicArn,
          publisher,
          state,
          runId: owner,
          now: new Date(),
          retryCommand: `pocketwatch teardown ${finished.id} --execute`,
        });
      },
    });
    if (mode === 'dry-run') {
      logger.info('teardown planned only: this account is not in settings.teardownAccounts', {
        plan: result.plan,
      });
      return;
    }
    const deleted = result.outcomes.filter((outcome) => outcome.outcome === 'deleted').length;
    metrics.addMetric('ResourcesDeleted', MetricUnit.Count, deleted);
    metrics.addMetadata('recommendationId', message.recommendationId);
    metrics.addMetadata('state', result.record.state);
    metrics.publishStoredMetrics();
    if (result.finished) {
      logger.info('teardown finished', { state: result.record.state, apiCalls: meter.counts() });
      return;
    }
    const attempt = (message.attempt ?? 0) + 1;
    if (attempt > TEARDOWN_MAX_RESUMES) {
      throw new Error(`still under way after ${TEARDOWN_MAX_RESUMES} resumes: ${result.pending.join(', ')}`);
    }
    await teardownQueue.send(
      { recommendationId: message.recommendationId, owner, attempt },
      TEARDOWN_RESUME_DELAY_SECONDS,
    );
    logger.info('teardown continues later', { pending: result.pending, attempt });
  } finally {
    clients.destroy();
    activity.destroy();
  }
}
