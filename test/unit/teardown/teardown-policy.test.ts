import { describe, expect, it } from 'vitest';
import { DEFAULT_PROTECT_TAG } from '../../../src/policy/defaults.js';
import type { Deleter } from '../../../src/teardown/deleter.js';
import { finalCopyTags } from '../../../src/teardown/deleters/tags.js';
import { DELETERS } from '../../../src/teardown/deleters.js';
import { finalCopyNameFor } from '../../../src/teardown/teardown-plan.js';
import {
  FINAL_COPY_PREFIX,
  FINAL_COPY_TAG_KEY,
  isReadOnlyAction,
  mutatingActionsOf,
  TeardownPolicyError,
  teardownRoleStatements,
} from '../../../src/teardown/teardown-policy.js';

const OPTIONS = { tagKey: 'poc', protectTag: DEFAULT_PROTECT_TAG, accounts: ['111122223333'] };
const deleters = Object.values(DELETERS);
const statements = teardownRoleStatements(deleters, OPTIONS);
const mutating = mutatingActionsOf(deleters);
const POC_RESOURCE = {
  StringLike: { 'aws:ResourceTag/poc': '?*' },
  StringEquals: { 'aws:ResourceAccount': ['111122223333'] },
};

describe('teardownRoleStatements', () => {
  it('allows reads on everything: describe calls, the reads deleters need, the re-check’s metrics', () => {
    const reads = statements.find((statement) => statement.Sid === 'TeardownDescribe');
    expect(reads?.Action).toEqual(
      expect.arrayContaining([
        'ec2:DescribeNatGateways',
        'cloudformation:DescribeStacks',
        'cloudwatch:GetMetricData',
      ]),
    );
    expect(reads?.Action.every(isReadOnlyAction)).toBe(true);
  });

  it('grants every deleter’s mutating action, and each only under a condition naming the allowed accounts', () => {
    const allowed = statements.filter(
      (statement) => statement.Effect === 'Allow' && statement.Sid !== 'TeardownDescribe',
    );
    expect(new Set(allowed.flatMap((statement) => statement.Action))).toEqual(new Set(mutating));
    for (const statement of allowed) {
      expect(JSON.stringify(statement.Condition), statement.Sid).toContain(
        '"aws:ResourceAccount":["111122223333"]',
      );
      if (statement.Resource === '*') expect(statement.Condition, statement.Sid).toEqual(POC_RESOURCE);
    }
  });

  it('limits deletions to resources carrying the PoC tag where the service supports it', () => {
    const deletes = statements.find((statement) => statement.Sid === 'TeardownDeletePocResources');
    expect(deletes).toMatchObject({ Resource: '*', Condition: POC_RESOURCE });
    expect(deletes?.Action).toEqual(
      expect.arrayContaining(['ec2:DeleteNatGateway', 'lambda:DeleteFunction', 'cloudformation:DeleteStack']),
    );
  });

  it('splits a final EBS snapshot: the tagged volume, and a new snapshot only when tagged as a final copy', () => {
    const copies = teardownRoleStatements(deleters, { ...OPTIONS, partition: 'aws-cn' }).filter(
      (statement) => statement.Effect === 'Allow' && statement.Action.includes('ec2:CreateSnapshot'),
    );
    expect(copies).toEqual([
      {
        Sid: 'TeardownFinalCopyEc2CreateSnapshot1',
        Effect: 'Allow',
        Action: ['ec2:CreateSnapshot'],
        Resource: ['arn:aws-cn:ec2:*:*:volume/*'],
        Condition: POC_RESOURCE,
      },
      {
        Sid: 'TeardownFinalCopyEc2CreateSnapshot2',
        Effect: 'Allow',
        Action: ['ec2:CreateSnapshot'],
        Resource: ['arn:aws-cn:ec2:*::snapshot/*'],
        Condition: {
          StringLike: { 'aws:RequestTag/pocketwatch:final-copy': '?*' },
          StringEquals: { 'aws:ResourceAccount': ['111122223333'] },
        },
      },
    ]);
    expect(
      statements.find((s) => s.Effect === 'Allow' && s.Action.includes('ec2:CreateTags'))?.Condition,
    ).toEqual({
      StringEquals: {
        'ec2:CreateAction': ['CreateSnapshot', 'CreateSnapshots'],
        'aws:ResourceAccount': ['111122223333'],
      },
    });
  });

  it('lets RDS take final snapshots only under the final-copy name', () => {
    const snapshot = statements.filter(
      (statement) => statement.Effect === 'Allow' && statement.Action.includes('rds:CreateDBSnapshot'),
    );
    expect(snapshot.map((statement) => statement.Resource)).toEqual([
      ['arn:aws:rds:*:*:db:*'],
      ['arn:aws:rds:*:*:snapshot:pocketwatch-final-*'],
    ]);
    expect(snapshot[0]?.Condition).toEqual(POC_RESOURCE);
  });

  it('scopes S3, which has no tag condition, to buckets of the allowed accounts (the documented exception)', () => {
    expect(statements.find((statement) => statement.Sid === 'TeardownDeleteS3')).toEqual({
      Sid: 'TeardownDeleteS3',
      Effect: 'Allow',
      Action: ['s3:DeleteBucket', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: ['arn:aws:s3:::*', 'arn:aws:s3:::*/*'],
      Condition: { StringEquals: { 'aws:ResourceAccount': ['111122223333'] } },
    });
  });

  it('denies every mutating action on protected resources, but not the reads that see the protection', () => {
    const deny = statements.find((statement) => statement.Effect === 'Deny');
    expect(deny?.Action).toEqual(mutating);
    expect(deny?.Action.some(isReadOnlyAction)).toBe(false);
    expect(deny?.Condition).toEqual({
      StringEqualsIgnoreCase: { 'aws:ResourceTag/pocketwatch:protect': 'true' },
    });
  });

  it('grants no deletion at all when no account is allowed (teardowns only plan)', () => {
    const none = teardownRoleStatements(deleters, { ...OPTIONS, accounts: [] });
    expect(none.map((statement) => statement.Sid)).toEqual(['TeardownDescribe']);
  });

  it('refuses a deleter that can be limited neither by tag nor by ARN', () => {
    const untagged = {
      ...deleters[0],
      type: 'example:thing',
      iam: { describe: [], delete: ['example:DeleteThing'], tagCondition: false },
    } as Deleter;
    expect(() => teardownRoleStatements([untagged], OPTIONS)).toThrow(TeardownPolicyError);
    expect(() => teardownRoleStatements([untagged], OPTIONS)).toThrow(
      /example:DeleteThing cannot be limited/,
    );
  });

  it('knows the final-copy tag and name the deleters and the planner use', () => {
    expect(finalCopyTags('copy', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1')[0]?.Key).toBe(
      FINAL_COPY_TAG_KEY,
    );
    expect(finalCopyNameFor('rec-1', 'arn:aws:rds:us-east-1:111122223333:db:x')).toMatch(
      new RegExp(`^${FINAL_COPY_PREFIX}`),
    );
  });
});
