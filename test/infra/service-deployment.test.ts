import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePolicySet } from '../../src/policy/policy-set-json.js';
import { DELETERS } from '../../src/teardown/deleters.js';
import { mutatingActionsOf } from '../../src/teardown/teardown-policy.js';
import {
  actionCovers,
  DESTRUCTIVE_ACTION,
  functionRole,
  iamStatements,
  isWildcardResource,
  logicalId,
  narrowsToTagsOrAccounts,
} from './support/iam.js';
import { type SynthesizedDeployment, synthesize, unacknowledgedNagFindings } from './support/synth.js';

/** The deployment from the repository's example policies: one synthesis (with real bundling) for the file. */
let deployment: SynthesizedDeployment;

beforeAll(async () => {
  deployment = await synthesize('policies');
}, 180_000);
afterAll(() => deployment?.cleanup());

const service = () => deployment.template(deployment.stacks.service);
const state = () => deployment.template(deployment.stacks.state);

describe('the stateful stack', () => {
  it('keeps the state table: on demand, point-in-time recovery, TTL on expiresAt, retained', () => {
    state().hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
    });
  });

  it('holds the signing keys and the Slack webhook in retained secrets, never a real value in the template', () => {
    const secrets = state().findResources('AWS::SecretsManager::Secret');
    expect(Object.values(secrets).map((secret) => secret.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    const keys = Object.values(secrets).find((secret) => secret.Properties.GenerateSecretString);
    expect(keys?.Properties.GenerateSecretString).toMatchObject({
      GenerateStringKey: 'secret',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    const webhook = Object.values(secrets).find((secret) => secret.Properties.SecretString !== undefined);
    expect(webhook?.Properties.SecretString).toBe('none');
  });

  it('encrypts the alert and digest topics and enforces TLS on every topic', () => {
    const topics = Object.values(state().findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(3);
    expect(
      topics.filter((topic) =>
        JSON.stringify(topic.Properties.KmsMasterKeyId ?? '').includes(':alias/aws/sns'),
      ),
    ).toHaveLength(2);
    const policies = Object.values(state().findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });
});

describe('the functions', () => {
  it('all run Node.js 22 on arm64, with a log group of their own and its retention', () => {
    const functions = Object.entries(service().findResources('AWS::Lambda::Function'));
    expect(functions.map(([id]) => id.replace(/Function[0-9A-F]{8}$/, ''))).toEqual([
      'ApprovalEndpoint',
      'GovernanceRun',
      'TeardownWorker',
    ]);
    const logGroups = service().findResources('AWS::Logs::LogGroup');
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      const group = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(logGroups[group]?.Properties.RetentionInDays).toBe(30);
    }
  });

  it('have no managed policy: logs only to their own group', () => {
    for (const [, role] of Object.entries(service().findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const logs = iamStatements(service()).filter((statement) =>
      statement.Action.some((a) => a.startsWith('logs:')),
    );
    for (const statement of logs) expect(JSON.stringify(statement.Resource)).toContain('Logs');
  });

  it('each raise an alarm on errors, to the alarm topic', () => {
    const alarms = Object.values(service().findResources('AWS::CloudWatch::Alarm'));
    for (const id of Object.keys(service().findResources('AWS::Lambda::Function'))) {
      const alarm = alarms.find(
        (candidate) =>
          candidate.Properties.MetricName === 'Errors' &&
          JSON.stringify(candidate.Properties.Dimensions).includes(`"Ref":"${id}"`),
      );
      expect(alarm, id).toBeDefined();
      expect(alarm?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(JSON.stringify(alarm?.Properties.AlarmActions)).toContain('AlarmTopic');
    }
  });

  it('leave nothing undelivered unnoticed: every dead-letter queue has a depth alarm', () => {
    const template = service();
    const dlqs = new Set<string>();
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      const target = queue.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
      if (target) dlqs.add(target);
    }
    for (const config of Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'))) {
      dlqs.add(config.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]);
    }
    for (const schedule of Object.values(template.findResources('AWS::Scheduler::Schedule'))) {
      dlqs.add(schedule.Properties.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0]);
    }
    expect(dlqs.size).toBe(2);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const queue of dlqs) {
      const alarm = alarms.find(
        (candidate) =>
          candidate.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(candidate.Properties.Dimensions).includes(queue),
      );
      expect(alarm, queue).toBeDefined();
    }
  });

  it('serve approvals through a Function URL with auth NONE and capped concurrency', () => {
    service().hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    const approval = logicalId(service(), 'AWS::Lambda::Function', 'ApprovalEndpoint');
    expect(
      service().findResources('AWS::Lambda::Function')[approval]?.Properties.ReservedConcurrentExecutions,
    ).toBe(3);
  });

  it('tear down one at a time, from the teardown queue', () => {
    const worker = logicalId(service(), 'AWS::Lambda::Function', 'TeardownWorker');
    expect(
      service().findResources('AWS::Lambda::Function')[worker]?.Properties.ReservedConcurrentExecutions,
    ).toBe(1);
    service().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FunctionName: { Ref: worker },
    });
  });
});

describe('the schedules', () => {
  it('run the daily run at the digest hour in the team’s time zone, and no budget checks by default', () => {
    const schedules = Object.values(service().findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Input: '{"mode":"daily"}', RetryPolicy: { MaximumRetryAttempts: 3 } },
    });
  });
});

describe('least privilege', () => {
  it('lets the run role read, publish to its two topics, use its table, queue teardowns and delete nothing', () => {
    const role = functionRole(service(), logicalId(service(), 'AWS::Lambda::Function', 'GovernanceRun'));
    const statements = iamStatements(service()).filter((statement) => statement.roles.includes(role));
    const actions = statements.flatMap((statement) => statement.Action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'ce:GetCostAndUsage',
        'tag:GetResources',
        'cloudwatch:GetMetricData',
        'sns:Publish',
      ]),
    );
    for (const statement of statements) {
      for (const action of statement.Action.filter((a) => DESTRUCTIVE_ACTION.test(a))) {
        // Its only delete is releasing a delivery claim in its own state table.
        expect(action).toBe('dynamodb:DeleteItem');
        expect(JSON.stringify(statement.Resource)).toContain('StateTable');
      }
    }
    const readStatement = statements.find((statement) => statement.Action.includes('ce:GetCostAndUsage'));
    expect(readStatement?.Action.every((action) => /:(Get|Describe|List)/.test(action))).toBe(true);
    // It sends to two queues only: its failed invocations' destination, and the teardown queue.
    const sends = statements.filter((statement) => statement.Action.includes('sqs:SendMessage'));
    expect(sends.map((statement) => JSON.stringify(statement.Resource)).sort()).toEqual([
      expect.stringMatching(/^\[\{"Fn::GetAtt":\["RunFailures\w+","Arn"\]\}\]$/),
      expect.stringMatching(/^\[\{"Fn::GetAtt":\["TeardownQueue\w+","Arn"\]\}\]$/),
    ]);
  });

  it('never allows a destructive action on a wildcard resource unless narrowed to tags or accounts', () => {
    let checked = 0;
    for (const [name, template] of Object.entries(deployment.templates)) {
      for (const statement of iamStatements(template)) {
        checked += 1;
        if (statement.Effect !== 'Allow' || narrowsToTagsOrAccounts(statement.Condition)) continue;
        if (!statement.Resource.some(isWildcardResource)) continue;
        const destructive = statement.Action.filter(
          (action) => DESTRUCTIVE_ACTION.test(action) || action.includes('*'),
        );
        expect(destructive, `${name} ${statement.holder}`).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('gives the teardown role to the worker alone, and without teardown accounts no delete at all', () => {
    const template = service();
    const teardownRole = logicalId(template, 'AWS::IAM::Role', 'TeardownRole');
    const users = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
      (id) => functionRole(template, id) === teardownRole,
    );
    expect(users).toEqual([logicalId(template, 'AWS::Lambda::Function', 'TeardownWorker')]);
    expect(
      template.findResources('AWS::IAM::Role')[teardownRole]?.Properties.AssumeRolePolicyDocument.Statement,
    ).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const deletes = mutatingActionsOf(Object.values(DELETERS));
    const granted = iamStatements(template)
      .filter((statement) => statement.roles.includes(teardownRole) && statement.Effect === 'Allow')
      .flatMap((statement) => statement.Action);
    // A wildcard grant (ec2:Delete*, ec2:*, *) counts as granting what it covers.
    expect(['ec2:Delete*', 'ec2:*', '*'].every((g) => actionCovers(g, 'ec2:DeleteNatGateway'))).toBe(true);
    expect(actionCovers('ec2:Describe*', 'ec2:DeleteNatGateway')).toBe(false);
    expect(granted.filter((action) => deletes.some((del) => actionCovers(action, del)))).toEqual([]);
  });
});

describe('cdk-nag', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    expect(unacknowledgedNagFindings(deployment.app)).toEqual([]);
  });

  it('leaves no warning or error annotation on any stack', () => {
    for (const stack of [deployment.stacks.state, deployment.stacks.service]) {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });
});

describe('the bundles', () => {
  it('are ESM with the policy set validated at synth time and a package.json', () => {
    const assets = readdirSync(deployment.outdir).filter((name) => name.startsWith('asset.'));
    const withPolicies = assets
      .map((name) => join(deployment.outdir, name))
      .filter((dir) => existsSync(join(dir, 'policy-set.json')));
    // All three functions read policies (the approval page: currency, and what a teardown keeps).
    expect(withPolicies).toHaveLength(3);
    const bundles = assets
      .map((name) => join(deployment.outdir, name, 'index.mjs'))
      .filter((file) => existsSync(file));
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    for (const file of bundles) expect(statSync(file).size, file).toBeLessThan(1_000_000);
    // Every function has a bundle of its own.
    const functions = Object.values(service().findResources('AWS::Lambda::Function'));
    const keys = functions.map(
      (resource) => (resource.Properties as { Code: { S3Key: unknown } }).Code.S3Key,
    );
    expect(new Set(keys.map((key) => JSON.stringify(key))).size).toBe(functions.length);
    for (const dir of withPolicies) {
      const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(bundle).toMatch(/^import \{ createRequire \} from 'node:module'/);
      expect(statSync(join(dir, 'index.mjs')).size).toBeLessThan(1_000_000);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type).toBe('module');
      const shipped = decodePolicySet(readFileSync(join(dir, 'policy-set.json'), 'utf8'), 'policy-set.json');
      expect(shipped.policies.map((policy) => policy.poc).sort()).toEqual(
        deployment.config.policySet.policies.map((policy) => policy.poc).sort(),
      );
      // No YAML parser or schema validator at run time: the policies were validated at synthesis.
      expect(bundle).not.toContain('yaml-language-server');
      expect(bundle).not.toMatch(/strict mode: unknown keyword/);
    }
  });
});
