import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { LiveAwsScanner } from '../src/app/live-aws-scanner.js';
import { ApiMeter } from '../src/aws/api-meter.js';
import { awsClientConfig } from '../src/aws/aws-clients.js';
import { CircuitBreaker } from '../src/aws/circuit-breaker.js';
import { meterClient } from '../src/aws/metered-client.js';
import { errorMessage } from '../src/core/error-message.js';
import { expiredPocs } from '../src/core/idle/recommend.js';
import { formatMoneyExact } from '../src/core/money.js';
import { CloudWatchActivityReader } from '../src/inventory/cloudwatch-activity.js';
import { Ec2StateReader } from '../src/inventory/ec2-state.js';
import { TaggingInventory } from '../src/inventory/tagging-inventory.js';
import { assumedRoleCredentials } from '../src/lambda/assumed-role.js';
import { deployedPolicySet } from '../src/lambda/deployed-policies.js';
import { requiredEnv } from '../src/lambda/lambda-env.js';
import { type MemberScanSummary, parseMemberScanEvent } from '../src/lambda/member-scan-event.js';
import { createLogger } from '../src/lambda/powertools.js';
import { DynamoDbStateStore } from '../src/state/dynamodb-state-store.js';
import { MemberScanStore } from '../src/state/member-scan-store.js';

/*
 * One member account's idle scan in an organisation run: assume the member role, list the account's
 * PoC resources, read their activity (batched GetMetricData) and judge them, then store the result
 * for the management account's run. Costs are not read here: Cost Explorer is queried once, in the
 * management account. A failure is stored too, so the report names the account instead of
 * pretending it has nothing idle; the function still fails, so Step Functions can retry it.
 */

const logger = createLogger('member-scan');
const clientMeter = new ApiMeter();
const tableName = requiredEnv('tableName');
const roleName = requiredEnv('memberRoleName');
const activityCache = new DynamoDbStateStore({ tableName, meter: clientMeter });
const scans = new MemberScanStore({ tableName, meter: clientMeter });
const sts = meterClient(new STSClient(awsClientConfig()), 'sts', clientMeter);

export async function handler(rawEvent: unknown, context: Context): Promise<MemberScanSummary> {
  logger.addContext(context);
  const event = parseMemberScanEvent(rawEvent);
  logger.appendKeys({ account: event.account, runId: event.runId });
  const policySet = await deployedPolicySet();
  const { settings } = policySet;
  const partition = context.invokedFunctionArn.split(':')[1] ?? 'aws';
  const roleArn = `arn:${partition}:iam::${event.account}:role/${roleName}`;
  // A call that keeps failing in the member account is not made again for the rest of this scan.
  const meter = new ApiMeter({ breaker: new CircuitBreaker() });
  const config = {
    ...awsClientConfig(),
    meter,
    credentials: assumedRoleCredentials(sts, roleArn, `pocketwatch-${event.runId}`),
  };
  const regions = settings.regions?.length ? settings.regions : [process.env.AWS_REGION ?? 'us-east-1'];
  const inventory = new TaggingInventory(config);
  const activity = new CloudWatchActivityReader(config);
  const states = new Ec2StateReader(config, { account: event.account, partition });
  try {
    const result = await new LiveAwsScanner({ inventory, activity, states, regions, activityCache }).scan({
      policySet,
      asOf: event.asOf,
      dataset: { rows: [], warnings: [], apiCalls: {} },
      expiredPocs: expiredPocs(policySet.policies, event.asOf),
    });
    await scans.save(event.runId, {
      account: event.account,
      status: 'scanned',
      result,
      scannedAt: new Date().toISOString(),
    });
    const summary: MemberScanSummary = {
      account: event.account,
      status: 'scanned',
      recommendations: result.recommendations.length,
      taggedResources: result.taggedResourceCount,
    };
    // No custom metric: each costs $0.30 a month; the log line is queryable in Logs Insights.
    logger.info('member account scanned', {
      summary,
      apiCalls: meter.counts(),
      apiCost: formatMoneyExact(meter.cost()),
    });
    return summary;
  } catch (error) {
    const message = errorMessage(error);
    logger.error('member account scan failed', { error });
    await scans.save(event.runId, {
      account: event.account,
      status: 'failed',
      error: message,
      scannedAt: new Date().toISOString(),
    });
    throw error;
  } finally {
    inventory.destroy();
    activity.destroy();
    states.destroy();
  }
}
