import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  Chain,
  DefinitionBody,
  Errors,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  StateMachine,
  StateMachineType,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { LAMBDA_ENV } from '../src/lambda/lambda-env.js';
import type { DeploymentConfig } from './deployment-config.js';
import { ORGANIZATION_SCANNER_ROLE_NAME } from './member-role-stack.js';
import { acknowledge, acknowledgeInvokeVersions } from './nag.js';
import { PocketwatchFunction } from './pocketwatch-function.js';
import { allowStateTable } from './state-table-access.js';
import type { StatefulStack } from './stateful-stack.js';
import { GOVERNANCE_RUN_ARN_EXPORT, RUN_FAILURES_ARN_EXPORT } from './stateless-stack.js';

export interface OrganizationStackProps extends StackProps {
  config: DeploymentConfig;
  state: StatefulStack;
  /** The service stack, whose governance function and failure queue this stack uses (by export). */
  service: Stack;
}

/**
 * The idle scan of a whole organisation, from the management account.
 *
 * Every day at the digest hour a Step Functions state machine fans out over the member accounts
 * (settings.deployment.organization): one member-scan invocation per account, each assuming the
 * member role there, listing that account's PoC resources, reading their activity in batched
 * GetMetricData calls and storing what it found. Then the governance function runs once: Cost
 * Explorer is read once for the whole organisation, here, grouped by linked account, and the stored
 * scans are merged into one report and one digest.
 *
 * Why 500 accounts fit Lambda's limits:
 * - No single invocation sees more than one account. A member scan takes a few seconds for a typical
 *   account (tens to hundreds of resources: 1 GetResources page per 100 resources, 1 GetMetricData
 *   call per 500 metrics) and about 30 s for a large one (5,000 resources: 50 + 10 calls); its
 *   timeout is 5 minutes, 10 times that.
 * - 40 scans at a time (scanConcurrency): 500 / 40 = 13 waves; at 30 s a wave (pessimistic) that is
 *   6.5 minutes, at a typical 5 s about 1 minute. The state machine (Standard) may run for a year.
 * - Concurrency: 40 of the account's 1,000 default Lambda executions. API limits are per account, so
 *   member accounts' Tagging API and CloudWatch quotas are not shared; STS AssumeRole is one call
 *   per account.
 * - Step Functions: an inline Map iteration with one Lambda task writes about 7 history events:
 *   500 x 7 = 3,500 of the 25,000 an execution may have (2,000 accounts, the settings' maximum, is
 *   14,000). Iterations return nothing (results go to DynamoDB), so the 256 KB payload limit holds.
 * - The final run reads 500 items with one paginated Query and merges them; Cost Explorer pages
 *   depend on PoCs and days, not on accounts (BENCHMARKS.md: 24 pages at 1,000 PoCs).
 */
export class OrganizationStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly memberScan: PocketwatchFunction;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { config, state } = props;
    const { deployment, policySet } = config;
    const organization = deployment.organization;
    if (!organization) throw new Error('OrganizationStack needs settings.deployment.organization');
    const logRetention = deployment.logRetentionDays as RetentionDays;
    // Imported by export name rather than by reference, so findings about them have stable ids.
    this.addStackDependency(props.service);
    const governanceRun = LambdaFunction.fromFunctionAttributes(this, 'GovernanceRun', {
      functionArn: Fn.importValue(GOVERNANCE_RUN_ARN_EXPORT),
      sameEnvironment: true,
    });
    const runFailures = Queue.fromQueueArn(this, 'RunFailures', Fn.importValue(RUN_FAILURES_ARN_EXPORT));

    // Named, so every member role can trust exactly this role (member-role-stack.ts).
    const scannerRole = new Role(this, 'ScannerRole', {
      roleName: ORGANIZATION_SCANNER_ROLE_NAME,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'pocketwatch: scans member accounts through their read-only member role',
    });
    scannerRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: [`arn:${Aws.PARTITION}:iam::*:role/${organization.roleName}`],
      }),
    );
    acknowledge(
      scannerRole,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${organization.roleName}]`,
      'Only the member role, by name, in any account: each member role trusts only this scanner role, so the trust policies are the gate. Listing 500 account ARNs here would pass IAM’s 10 KB inline policy limit.',
    );

    this.memberScan = new PocketwatchFunction(this, 'MemberScan', {
      handler: 'member-scan',
      description: 'pocketwatch member account idle scan (one account per invocation)',
      timeout: Duration.minutes(5),
      memorySize: 512,
      logRetention,
      alarmTopic: state.alarmTopic,
      tracing: deployment.tracing,
      role: scannerRole,
      policySet: config.policySet,
      environment: {
        [LAMBDA_ENV.tableName]: state.table.tableName,
        [LAMBDA_ENV.memberRoleName]: organization.roleName,
      },
    });
    allowStateTable(scannerRole, state.table);

    const prepare = new Pass(this, 'Prepare', {
      comment: 'The run id and day every account shares, and the accounts from settings',
      parameters: {
        runId: JsonPath.executionName,
        asOf: JsonPath.arrayGetItem(JsonPath.stringSplit(JsonPath.executionStartTime, 'T'), 0),
        accounts: organization.memberAccounts,
      },
    });
    const scanAccount = new LambdaInvoke(this, 'ScanAccount', {
      lambdaFunction: this.memberScan.function,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    // One more try for a failed scan (a throttled member API, a cold role); then the run goes on
    // without it, and the report names the account.
    scanAccount.addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 1, interval: Duration.seconds(30) });
    const unscanned = new Pass(this, 'AccountNotScanned', { comment: 'Reported as not scanned by the run' });
    scanAccount.addCatch(unscanned, { errors: [Errors.ALL], resultPath: JsonPath.DISCARD });
    const scanMembers = new MapState(this, 'ScanMembers', {
      itemsPath: '$.accounts',
      itemSelector: { 'account.$': '$$.Map.Item.Value', 'runId.$': '$.runId', 'asOf.$': '$.asOf' },
      maxConcurrency: organization.scanConcurrency,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(scanAccount);
    const report = new LambdaInvoke(this, 'RunGovernance', {
      lambdaFunction: governanceRun,
      payload: TaskInput.fromObject({ mode: 'daily', 'memberScanRunId.$': '$.runId', 'asOf.$': '$.asOf' }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    // Delivery is exactly once, so retrying a run that failed to send something sends only that.
    report.addRetry({
      errors: [Errors.TASKS_FAILED],
      maxAttempts: 2,
      interval: Duration.minutes(1),
      backoffRate: 2,
    });

    const logs = new LogGroup(this, 'StateMachineLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'OrganizationRun', {
      comment: 'pocketwatch organisation run: scan member accounts, then costs, alerts and the digest',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(Chain.start(prepare).next(scanMembers).next(report)),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    });
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs delivery and X-Ray calls the state machine makes have no resource-level permissions.',
    );
    const invokeWhy =
      'The state machine may invoke its two functions only (their versions included, as grantInvoke writes it).';
    acknowledgeInvokeVersions(this, this.memberScan.function, invokeWhy);
    acknowledge(this.stateMachine, `AwsSolutions-IAM5[Resource::${GOVERNANCE_RUN_ARN_EXPORT}:*]`, invokeWhy);

    new Schedule(this, 'DailyOrganizationRun', {
      description: `pocketwatch organisation run at ${deployment.digestHour}:00 ${policySet.settings.timeZone}`,
      schedule: ScheduleExpression.cron({
        minute: '0',
        hour: String(deployment.digestHour),
        timeZone: TimeZone.of(policySet.settings.timeZone),
      }),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({}),
        deadLetterQueue: runFailures,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });

    const failed = new Alarm(this, 'OrganizationRunFailedAlarm', {
      alarmDescription: 'pocketwatch: the organisation run failed; see the state machine execution',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    failed.addAlarmAction(new SnsAction(state.alarmTopic));

    new CfnOutput(this, 'OrganizationStateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ScannerRoleArn', { value: scannerRole.roleArn });
  }
}
