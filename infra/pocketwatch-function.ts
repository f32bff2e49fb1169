import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type IDestination,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { cdkBundling, FUNCTION_BUNDLES, type FunctionHandler, PROJECT_ROOT } from './lambda-bundling.js';
import { acknowledge } from './nag.js';

/** The runtime every function uses (the issue asks for Node.js 22; see the nag reason below). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

export interface PocketwatchFunctionProps {
  /** The handler file under functions/, e.g. "governance-run". */
  handler: FunctionHandler;
  description: string;
  timeout: Duration;
  memorySize: number;
  logRetention: RetentionDays;
  /** Where the errors alarm (and any other alarm of this function) notifies. */
  alarmTopic: ITopic;
  environment?: Record<string, string>;
  /** The validated policies folder; shipped in the bundle of functions that read policies (FUNCTION_BUNDLES). */
  policiesDir: string;
  tracing?: boolean;
  /** Caps concurrent executions: 1 serialises the teardown worker; a small number caps a public URL. */
  reservedConcurrency?: number;
  /** A role to run as (the teardown role); by default the function gets a role of its own. */
  role?: Role;
  /** Asynchronous invocations (schedules): retries, then this destination for what still fails. */
  async?: { onFailure: IDestination; retryAttempts: number; maxEventAge: Duration };
}

/**
 * A pocketwatch Lambda function with the defaults set once: Node.js 22 on arm64, an ESM bundle
 * (minified, source-mapped, with the policies it needs), its own log group with retention, structured
 * JSON logs, a role with no managed policy (only what is granted to it, logs included), optional X-Ray,
 * and an alarm on any error.
 */
export class PocketwatchFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: IRole;
  readonly logGroup: LogGroup;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PocketwatchFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // The audit trail lives in the state table (retained); logs go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role =
      props.role ??
      new Role(this, 'Role', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `pocketwatch ${props.handler} function`,
      });
    this.role = role;
    // Instead of AWSLambdaBasicExecutionRole (logs on every group in the account): this group only.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.INFO,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      bundling: cdkBundling(
        FUNCTION_BUNDLES[props.handler].policies ? { policiesDir: props.policiesDir } : {},
      ),
      environment: {
        // Stack traces point at the TypeScript source through the bundle's source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
      ...(props.async
        ? {
            onFailure: props.async.onFailure,
            retryAttempts: props.async.retryAttempts,
            maxEventAge: props.async.maxEventAge,
          }
        : {}),
    });

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `pocketwatch ${props.handler} failed: see its log group ${props.handler}`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm.addAlarmAction(new SnsAction(props.alarmTopic));

    acknowledge(
      this.function,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime this service is built and tested on (ESM, AWS SDK v3 bundled); it is supported until 2027-04-30. Moving to Node.js 24 is a deliberate upgrade with its own test run, not a side effect of a deploy.',
    );
    if (props.tracing) {
      acknowledge(
        role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
      );
    }
  }
}
