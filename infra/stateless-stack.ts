import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { runRoleActions } from '../src/app/iam-actions.js';
import { LAMBDA_ENV } from '../src/lambda/lambda-env.js';
import type { Settings } from '../src/policy/model.js';
import { DELETERS } from '../src/teardown/deleters.js';
import { teardownRoleStatements } from '../src/teardown/teardown-policy.js';
import type { DeploymentConfig } from './deployment-config.js';
import { GovernanceSchedules } from './governance-schedules.js';
import { acknowledge } from './nag.js';
import { PocketwatchFunction } from './pocketwatch-function.js';
import { allowStateTable } from './state-table-access.js';
import type { StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  config: DeploymentConfig;
  state: StatefulStack;
  /** An organisation deployment runs the daily scan through its state machine instead. */
  dailyRunThroughOrganization: boolean;
}

/** Why the teardown role names a resource ARN pattern, by statement (teardown-policy.ts). */
function teardownPatternReason(sid: string): string {
  if (sid.startsWith('TeardownFinalCopy')) {
    return 'A final copy before a deletion: the source resource must carry the PoC tag in an allowed account; a new EC2 snapshot must be tagged pocketwatch:final-copy in the same request (and tags may be added only while creating it); RDS final snapshots must be named pocketwatch-final-*.';
  }
  return 'This service has no aws:ResourceTag condition on its delete actions (S3 buckets and objects): limited to resources in settings.teardownAccounts (aws:ResourceAccount); the executor re-reads the PoC and protect tags right before deleting.';
}

/** Exports the organisation stack imports by name (a name, so its IAM findings have a stable id). */
export const GOVERNANCE_RUN_ARN_EXPORT = 'PocketwatchGovernanceRunArn';
export const RUN_FAILURES_ARN_EXPORT = 'PocketwatchRunFailuresArn';

/** How long a dead-letter queue keeps what failed: the longest SQS allows, time to look and redrive. */
const DLQ_RETENTION = Duration.days(14);

/**
 * The code and its wiring, safe to destroy and redeploy at any time (nothing here holds state):
 * the governance run on its schedules, the approval endpoint (a Function URL), the teardown worker
 * and its queue, the dead-letter queues and the alarms.
 */
export class StatelessStack extends Stack {
  readonly governanceRun: PocketwatchFunction;
  readonly approvalEndpoint: PocketwatchFunction;
  readonly teardownWorker: PocketwatchFunction;
  readonly runFailures: Queue;
  private readonly alarmTopic: ITopic;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, state } = props;
    const { deployment, policySet } = config;
    const { settings } = policySet;
    this.alarmTopic = state.alarmTopic;
    const logRetention = deployment.logRetentionDays as RetentionDays;
    const common = {
      logRetention,
      alarmTopic: state.alarmTopic,
      tracing: deployment.tracing,
      policySet: config.policySet,
    };

    // What scheduled runs leave behind when they fail for good: the scheduler's undeliverable
    // invocations and the function's failed asynchronous invocations (with the error).
    this.runFailures = this.deadLetterQueue('RunFailures', 'scheduled governance runs that failed for good');
    acknowledge(
      this.runFailures,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the schedules and of the governance function; its depth raises an alarm.',
    );

    const teardownDlq = this.deadLetterQueue('TeardownFailures', 'teardowns that failed three times');
    const teardownTimeout = Duration.minutes(5);
    const teardownQueue = new Queue(this, 'TeardownQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the worker's timeout, as AWS advises for a Lambda event source.
      visibilityTimeout: Duration.minutes(30),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: teardownDlq, maxReceiveCount: 5 },
    });

    this.approvalEndpoint = new PocketwatchFunction(this, 'ApprovalEndpoint', {
      ...common,
      handler: 'approval-endpoint',
      description: 'pocketwatch approval links: approve, reject or snooze a teardown recommendation',
      timeout: Duration.seconds(10),
      memorySize: 256,
      // A public URL: at most three at a time bounds what a flood of requests can cost.
      reservedConcurrency: 3,
      environment: {
        [LAMBDA_ENV.tableName]: state.table.tableName,
        [LAMBDA_ENV.approvalKeysSecretArn]: state.approvalKeys.secretArn,
        [LAMBDA_ENV.teardownQueueUrl]: teardownQueue.queueUrl,
        ...(settings.notifications?.reportUrl
          ? { [LAMBDA_ENV.reportUrl]: settings.notifications.reportUrl }
          : {}),
      },
    });
    allowStateTable(this.approvalEndpoint.role, state.table);
    state.approvalKeys.grantRead(this.approvalEndpoint.role);
    teardownQueue.grantSendMessages(this.approvalEndpoint.role);
    const approvalUrl = this.approvalEndpoint.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    this.governanceRun = new PocketwatchFunction(this, 'GovernanceRun', {
      ...common,
      handler: 'governance-run',
      description: 'pocketwatch governance run: costs, budgets, idle scan, alerts and the daily digest',
      // A 1,000-PoC run takes 25-80 s on a laptop (BENCHMARKS.md); the rest is headroom for retries.
      timeout: Duration.minutes(10),
      memorySize: 1024,
      environment: {
        [LAMBDA_ENV.tableName]: state.table.tableName,
        [LAMBDA_ENV.alertTopicArn]: state.alertTopic.topicArn,
        [LAMBDA_ENV.digestTopicArn]: state.digestTopic.topicArn,
        [LAMBDA_ENV.slackWebhookSecretArn]: state.slackWebhook.secretArn,
        [LAMBDA_ENV.approvalKeysSecretArn]: state.approvalKeys.secretArn,
        [LAMBDA_ENV.approvalUrl]: approvalUrl.url,
        // The daily run queues approvals no worker has started (made on the command line).
        [LAMBDA_ENV.teardownQueueUrl]: teardownQueue.queueUrl,
      },
      async: {
        onFailure: new SqsDestination(this.runFailures),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      },
    });
    this.allowGovernanceReads(this.governanceRun.role, settings);
    allowStateTable(this.governanceRun.role, state.table);
    state.alertTopic.grantPublish(this.governanceRun.role);
    state.digestTopic.grantPublish(this.governanceRun.role);
    state.slackWebhook.grantRead(this.governanceRun.role);
    state.approvalKeys.grantRead(this.governanceRun.role);
    teardownQueue.grantSendMessages(this.governanceRun.role);
    const email = settings.notifications?.email;
    if (email) {
      this.governanceRun.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: ['*'],
          conditions: { StringEquals: { 'ses:FromAddress': email.from } },
        }),
      );
    }

    const teardownRole = this.teardownRole(config);
    this.teardownWorker = new PocketwatchFunction(this, 'TeardownWorker', {
      ...common,
      handler: 'teardown-worker',
      description: 'pocketwatch teardown worker: re-check, plan and delete an approved recommendation',
      timeout: teardownTimeout,
      memorySize: 512,
      // One teardown at a time: a small blast radius, and deletions never race each other.
      reservedConcurrency: 1,
      role: teardownRole,
      environment: {
        [LAMBDA_ENV.tableName]: state.table.tableName,
        [LAMBDA_ENV.alertTopicArn]: state.alertTopic.topicArn,
        [LAMBDA_ENV.teardownQueueUrl]: teardownQueue.queueUrl,
      },
    });
    allowStateTable(teardownRole, state.table);
    state.alertTopic.grantPublish(teardownRole);
    teardownQueue.grantSendMessages(teardownRole);
    this.teardownWorker.function.addEventSource(
      new SqsEventSource(teardownQueue, { batchSize: 1, reportBatchItemFailures: true }),
    );

    new GovernanceSchedules(this, 'Schedules', {
      governanceRun: this.governanceRun.function,
      timeZone: settings.timeZone,
      digestHour: deployment.digestHour,
      budgetCheckHours: deployment.budgetCheckHours,
      dailyRun: !props.dailyRunThroughOrganization,
      deadLetterQueue: this.runFailures,
    });

    this.alarmOnDepth(this.runFailures, 'a scheduled governance run failed for good');
    this.alarmOnDepth(teardownDlq, 'a teardown failed five times');

    new CfnOutput(this, 'ApprovalEndpointUrl', { value: approvalUrl.url });
    new CfnOutput(this, 'GovernanceFunctionName', { value: this.governanceRun.function.functionName });
    new CfnOutput(this, 'GovernanceFunctionArn', {
      value: this.governanceRun.function.functionArn,
      exportName: GOVERNANCE_RUN_ARN_EXPORT,
    });
    new CfnOutput(this, 'RunFailuresQueueArn', {
      value: this.runFailures.queueArn,
      exportName: RUN_FAILURES_ARN_EXPORT,
    });
    new CfnOutput(this, 'TeardownQueueUrl', { value: teardownQueue.queueUrl });
    new CfnOutput(this, 'RunFailuresQueueUrl', { value: this.runFailures.queueUrl });
  }

  /** The run role's reads, derived from the code (runRoleActions), on "*": these APIs have no resource-level permissions. */
  private allowGovernanceReads(role: IRole, settings: Settings): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PocketwatchReadOnly',
        actions: runRoleActions(settings),
        resources: ['*'],
      }),
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Read-only calls that have no resource-level permissions: Cost Explorer, the Tagging API, CloudWatch GetMetricData and EC2/RDS/... describe calls (runRoleActions, derived from the idle rules); ses:SendEmail is limited by ses:FromAddress.',
    );
  }

  /**
   * The only role that may delete, used by the teardown worker alone: its policy is derived from the
   * deleters (teardownRoleStatements), limited to resources carrying the PoC tag in the accounts of
   * settings.teardownAccounts, never of protected ones.
   */
  private teardownRole(config: DeploymentConfig): Role {
    const { settings } = config.policySet;
    const statements = teardownRoleStatements(Object.values(DELETERS), {
      tagKey: settings.tagKey,
      protectTag: settings.protectTag,
      accounts: settings.teardownAccounts ?? [],
      partition: Aws.PARTITION,
    });
    const role = new Role(this, 'TeardownRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'pocketwatch teardown worker: deletes approved PoC resources carrying the PoC tag',
      inlinePolicies: {
        Teardown: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements }),
      },
    });
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Describe calls and GetMetricData have no resource-level permissions; every delete action on "*" is conditioned on aws:ResourceTag/<PoC tag> and aws:ResourceAccount (settings.teardownAccounts), and denied on resources with the protect tag.',
    );
    // The same statements with the partition as cdk-nag prints it, to name each ARN-pattern finding.
    const named = teardownRoleStatements(Object.values(DELETERS), {
      tagKey: settings.tagKey,
      protectTag: settings.protectTag,
      accounts: settings.teardownAccounts ?? [],
      partition: '<AWS::Partition>',
    });
    const acknowledged = new Set<string>();
    for (const statement of named.filter((candidate) => candidate.Effect === 'Allow')) {
      const patterns = [statement.Resource]
        .flat()
        .filter((resource) => resource !== '*' && resource.includes('*'));
      for (const pattern of patterns) {
        if (acknowledged.has(pattern)) continue;
        acknowledged.add(pattern);
        acknowledge(role, `AwsSolutions-IAM5[Resource::${pattern}]`, teardownPatternReason(statement.Sid));
      }
    }
    return role;
  }

  private deadLetterQueue(id: string, holds: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
    });
    queue.node.addMetadata('description', holds);
    return queue;
  }

  private alarmOnDepth(queue: Queue, meaning: string): void {
    const alarm = new Alarm(this, `${queue.node.id}Alarm`, {
      alarmDescription: `pocketwatch: ${meaning}; the message in ${queue.node.id} says which and why`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
  }
}
