import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  type IDestination,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { PolicySet } from '../src/policy/model.js';
import { encodePolicySet } from '../src/policy/policy-set-json.js';
import {
  FUNCTION_BUNDLES,
  type FunctionHandler,
  functionEntry,
  PROJECT_ROOT,
  shipPolicySet,
} from './lambda-bundling.js';
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
  /** The validated policy set; shipped in the bundle of functions that read policies (FUNCTION_BUNDLES). */
  policySet: PolicySet;
  tracing?: boolean;
  /** Caps concurrent executions: 1 serialises the teardown worker; a small number caps a public URL. */
  reservedConcurrency?: number;
  /** A role to run as (the teardown role); by default the function gets a role of its own. */
  role?: Role;
  /** Asynchronous invocations (schedules): retries, then this destination for what still fails. */
  async?: { onFailure: IDestination; retryAttempts: number; maxEventAge: Duration };
}

/**
 * The function's code: bundled locally with esbuild (no Docker) by infra/lambda-bundling.ts, the way
 * NodejsFunction bundles, but through esbuild's API so that its plugin can make the AWS SDK's schemas
 * tree-shakeable (NodejsFunction runs esbuild's command line, which takes no plugins: aws/aws-cdk#18470).
 * Functions that read policies get the validated policy set beside the bundle.
 */
function bundledCode(handler: FunctionHandler, policySet: PolicySet): Code {
  const policies = FUNCTION_BUNDLES[handler].policies ? encodePolicySet(policySet) : undefined;
  return Code.fromAsset(join(PROJECT_ROOT, 'functions'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling either succeeds or stops synthesis with esbuild's error.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      // CDK caches bundles by source path and bundling options within one synthesis: these make each
      // function's (and each policy set's) bundle its own.
      command: ['bundle-function', handler],
      environment: {
        POLICY_SET_SHA256: createHash('sha256')
          .update(policies ?? '')
          .digest('hex'),
      },
      local: {
        tryBundle(outputDir) {
          const child = spawnSync(
            process.execPath,
            [
              '--import',
              'tsx',
              join(PROJECT_ROOT, 'infra', 'bundle-function.ts'),
              functionEntry(handler),
              outputDir,
            ],
            { cwd: PROJECT_ROOT, encoding: 'utf8' },
          );
          if (child.status !== 0) {
            throw new Error(
              `bundling the ${handler} function failed:\n${child.stderr || child.error?.message}`,
            );
          }
          if (policies) shipPolicySet(outputDir, policies);
          return true;
        },
      },
    },
  });
}

/**
 * A pocketwatch Lambda function with the defaults set once: Node.js 22 on arm64, an ESM bundle
 * (minified, source-mapped, with the policies it needs), its own log group with retention, structured
 * JSON logs, a role with no managed policy (only what is granted to it, logs included), optional X-Ray,
 * and an alarm on any error.
 */
export class PocketwatchFunction extends Construct {
  readonly function: LambdaFunction;
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

    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(props.handler, props.policySet),
      handler: 'index.handler',
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
