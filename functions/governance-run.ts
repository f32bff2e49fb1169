import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { notificationTargets } from '../src/app/notify.js';
import { setupRun } from '../src/app/run-setup.js';
import { StoredMemberScans } from '../src/app/stored-member-scans.js';
import { ApiMeter } from '../src/aws/api-meter.js';
import { awsClientConfig } from '../src/aws/aws-clients.js';
import { CircuitBreaker } from '../src/aws/circuit-breaker.js';
import { meterClient } from '../src/aws/metered-client.js';
import { SesSender } from '../src/delivery/ses-sender.js';
import { SnsPublisher } from '../src/delivery/sns-publisher.js';
import { deployedPolicySet } from '../src/lambda/deployed-policies.js';
import { parseGovernanceRunEvent } from '../src/lambda/governance-event.js';
import { keyringFromSecretValue } from '../src/lambda/keyring-secret.js';
import { optionalEnv, requiredEnv } from '../src/lambda/lambda-env.js';
import { createLogger, createMetrics } from '../src/lambda/powertools.js';
import {
  assertDelivered,
  runScheduledGovernance,
  type ScheduledRunSummary,
} from '../src/lambda/scheduled-run.js';
import { CachedSecretReader } from '../src/lambda/secret-reader.js';
import { slackWebhookFromSecret } from '../src/lambda/slack-webhook-secret.js';
import { TeardownQueue } from '../src/lambda/teardown-queue.js';
import { resolveDeployment } from '../src/policy/deployment-settings.js';
import { DynamoDbStateStore } from '../src/state/dynamodb-state-store.js';
import { MemberScanStore } from '../src/state/member-scan-store.js';

/*
 * The scheduled governance run: a daily run (costs, budgets, idle scan, alerts, recommendations with
 * approval links, the digest, and approved teardowns queued for the worker) and the cost-only budget
 * checks in between. Delivery is exactly once, so a retry after a timeout or a failed send repeats
 * nothing that was sent.
 */

const logger = createLogger('governance-run');
const metrics = createMetrics('governance-run');
// Clients live as long as the warm function. Their calls are not billed per call like Cost Explorer,
// so their meter is not reported; the run's own meter (setupRun) prices every paid call.
// The breaker stops an SNS topic (or table) that keeps failing from being called for every message
// of a run; reset per invocation, since a warm function serves many runs.
const breaker = new CircuitBreaker();
const clientMeter = new ApiMeter({ breaker });
const state = new DynamoDbStateStore({ tableName: requiredEnv('tableName'), meter: clientMeter });
const memberScans = new MemberScanStore({ tableName: requiredEnv('tableName'), meter: clientMeter });
const publisher = new SnsPublisher({ meter: clientMeter });
const secrets = new CachedSecretReader(
  meterClient(new SecretsManagerClient(awsClientConfig()), 'secretsmanager', clientMeter),
);
const teardownQueueUrl = optionalEnv('teardownQueueUrl');
const teardownQueue = teardownQueueUrl ? new TeardownQueue(teardownQueueUrl, clientMeter) : undefined;
let emailSender: SesSender | undefined;

export async function handler(rawEvent: unknown, context: Context): Promise<ScheduledRunSummary> {
  logger.addContext(context);
  breaker.reset();
  const event = parseGovernanceRunEvent(rawEvent);
  const policySet = await deployedPolicySet();
  const { settings } = policySet;
  const now = new Date();

  // Slack and approval links are for the daily run: a budget check reads neither secret.
  const daily = event.mode === 'daily';
  const approvalUrl = optionalEnv('approvalUrl');
  const slackSecretArn = daily ? optionalEnv('slackWebhookSecretArn') : undefined;
  const slackWebhookUrl = slackSecretArn
    ? slackWebhookFromSecret(await secrets.read(slackSecretArn))
    : undefined;
  const targets = notificationTargets(settings.notifications, {
    POCKETWATCH_ALERT_TOPIC_ARN: requiredEnv('alertTopicArn'),
    POCKETWATCH_DIGEST_TOPIC_ARN: requiredEnv('digestTopicArn'),
    ...(slackWebhookUrl ? { POCKETWATCH_SLACK_WEBHOOK_URL: slackWebhookUrl } : {}),
    ...(approvalUrl ? { POCKETWATCH_APPROVAL_URL: approvalUrl } : {}),
  });
  if (targets.email) emailSender ??= new SesSender({ meter: clientMeter });
  const keysSecretArn = daily ? optionalEnv('approvalKeysSecretArn') : undefined;
  const keyring = keysSecretArn ? keyringFromSecretValue(await secrets.read(keysSecretArn)) : undefined;

  const setup = await setupRun('aws', settings, state);
  let summary: ScheduledRunSummary;
  try {
    summary = await runScheduledGovernance(event, {
      policySet,
      source: setup.source,
      scanner: event.memberScanRunId
        ? new StoredMemberScans({
            store: memberScans,
            runId: event.memberScanRunId,
            accounts: resolveDeployment(settings).organization?.memberAccounts ?? [],
          })
        : setup.scanner,
      meter: setup.meter ?? new ApiMeter(),
      state,
      publisher,
      ...(emailSender ? { emailSender } : {}),
      targets,
      ...(keyring ? { keyring } : {}),
      ...(teardownQueue ? { queueTeardown: (message) => teardownQueue.send(message) } : {}),
      now,
      runId: context.awsRequestId,
    });
  } finally {
    setup.close();
  }

  metrics.addMetric('RunApiCost', MetricUnit.NoUnit, Number(summary.apiCost));
  for (const key of ['mode', 'asOf', 'pocs', 'newAlerts', 'recommendations', 'sent', 'apiCost'] as const) {
    metrics.addMetadata(key, String(summary[key]));
  }
  metrics.publishStoredMetrics();
  logger.info('run finished', { summary });
  assertDelivered(summary);
  return summary;
}
