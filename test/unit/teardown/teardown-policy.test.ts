import { describe, expect, it } from 'vitest';
import { DEFAULT_PROTECT_TAG } from '../../../src/policy/defaults.js';
import type { Deleter } from '../../../src/teardown/deleter.js';
import { finalCopyTags } from '../../../src/teardown/deleters/tags.js';
import { DELETERS } from '../../../src/teardown/deleters.js';
import {
  FINAL_COPY_TAG_KEY,
  TeardownPolicyError,
  teardownRoleStatements,
} from '../../../src/teardown/teardown-policy.js';

const OPTIONS = { tagKey: 'poc', protectTag: DEFAULT_PROTECT_TAG, accounts: ['111122223333'] };
const deleters = Object.values(DELETERS);

describe('teardownRoleStatements', () => {
  it('allows describe calls on everything, and nothing else without a condition', () => {
    const statements = teardownRoleStatements(deleters, OPTIONS);
    const describe = statements.find((statement) => statement.Sid === 'TeardownDescribe');
    expect(describe?.Action).toEqual(
      expect.arrayContaining(['ec2:DescribeNatGateways', 'ec2:DescribeVolumes']),
    );
    expect(describe?.Action.every((action) => /^\w+:(Describe|List|Get)/.test(action))).toBe(true);
    expect(describe?.Action).toContain('cloudwatch:GetMetricData');
    for (const statement of statements.filter((s) => s.Sid !== 'TeardownDescribe')) {
      expect(statement.Condition, statement.Sid).toBeDefined();
    }
  });

  it('lets every delete action act only on resources with the PoC tag in an allowed account', () => {
    const statements = teardownRoleStatements(deleters, OPTIONS);
    const deletes = statements.find((statement) => statement.Sid === 'TeardownDeletePocResources');
    expect(deletes).toEqual({
      Sid: 'TeardownDeletePocResources',
      Effect: 'Allow',
      Action: ['ec2:DeleteNatGateway', 'ec2:DeleteVolume', 'ec2:ReleaseAddress'],
      Resource: '*',
      Condition: {
        StringLike: { 'aws:ResourceTag/poc': '?*' },
        StringEquals: { 'aws:ResourceAccount': ['111122223333'] },
      },
    });
  });

  it('splits a final snapshot: the tagged volume, and a new snapshot only when tagged as a final copy', () => {
    const statements = teardownRoleStatements(deleters, { ...OPTIONS, partition: 'aws-cn' });
    const copies = statements.filter((statement) => statement.Sid.startsWith('TeardownFinalCopy'));
    expect(copies).toEqual([
      {
        Sid: 'TeardownFinalCopyEc2CreateSnapshot1',
        Effect: 'Allow',
        Action: ['ec2:CreateSnapshot'],
        Resource: ['arn:aws-cn:ec2:*:*:volume/*'],
        Condition: {
          StringLike: { 'aws:ResourceTag/poc': '?*' },
          StringEquals: { 'aws:ResourceAccount': ['111122223333'] },
        },
      },
      {
        Sid: 'TeardownFinalCopyEc2CreateSnapshot2',
        Effect: 'Allow',
        Action: ['ec2:CreateSnapshot'],
        Resource: ['arn:aws-cn:ec2:*::snapshot/*'],
        Condition: { StringLike: { 'aws:RequestTag/pocketwatch:final-copy': '?*' } },
      },
      {
        Sid: 'TeardownFinalCopyEc2CreateTags1',
        Effect: 'Allow',
        Action: ['ec2:CreateTags'],
        Resource: ['arn:aws-cn:ec2:*::snapshot/*'],
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } },
      },
    ]);
  });

  it('denies every delete action on protected resources', () => {
    const deny = teardownRoleStatements(deleters, OPTIONS).find((statement) => statement.Effect === 'Deny');
    expect(deny?.Action).toEqual(expect.arrayContaining(['ec2:DeleteNatGateway', 'ec2:CreateSnapshot']));
    expect(deny?.Condition).toEqual({
      StringEqualsIgnoreCase: { 'aws:ResourceTag/pocketwatch:protect': 'true' },
    });
  });

  it('grants no deletion at all when no account is allowed (teardowns only plan)', () => {
    const statements = teardownRoleStatements(deleters, { ...OPTIONS, accounts: [] });
    expect(statements.map((statement) => statement.Sid)).toEqual(['TeardownDescribe']);
  });

  it('refuses a deleter that can be limited neither by tag nor by ARN', () => {
    const untagged: Deleter = {
      ...deleters[0],
      type: 'example:thing',
      iam: { describe: [], delete: ['example:DeleteThing'], tagCondition: false },
    } as Deleter;
    expect(() => teardownRoleStatements([untagged], OPTIONS)).toThrow(TeardownPolicyError);
    expect(() => teardownRoleStatements([untagged], OPTIONS)).toThrow(
      /example:DeleteThing cannot be limited/,
    );
  });

  it('knows the final-copy tag the deleters put on snapshots', () => {
    expect(finalCopyTags('copy', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1')[0]?.Key).toBe(
      FINAL_COPY_TAG_KEY,
    );
  });
});
