import { describe, expect, it } from 'vitest';
import { type Stage, StageRun } from '../../../src/app/run-stages.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';

function stage(name: string, needs: string[], run: () => Promise<void> = async () => {}): Stage {
  return { name, needs, effect: `${name} missing`, region: 'us-east-1', run };
}

const denied = () =>
  Promise.reject(
    new AwsCallError('missing IAM permission tag:GetResources', {
      operation: 'tag:GetResources',
      code: 'AccessDeniedException',
    }),
  );

describe('StageRun', () => {
  it('runs a stage after what it needs, and skips what needs a failed stage', async () => {
    const order: string[] = [];
    const run = new StageRun();
    await run.run([
      stage('activity', ['inventory'], async () => void order.push('activity')),
      stage('inventory', [], denied),
      stage('describe', [], async () => void order.push('describe')),
      stage('judgement', ['activity', 'describe'], async () => void order.push('judgement')),
    ]);
    expect(order).toEqual(['describe']);
    expect(run.ok('describe')).toBe(true);
    expect(run.ok('activity')).toBe(false);
    expect(run.errorOf('judgement')).toBeInstanceOf(AwsCallError);
    expect(run.warnings()).toEqual([
      {
        code: 'stage-failed',
        partial: true,
        message: 'inventory missing: tag:GetResources denied (so also: activity missing; judgement missing)',
        effect: 'inventory missing',
        operation: 'tag:GetResources',
        iamAction: 'tag:GetResources',
        region: 'us-east-1',
        where: 'tag:GetResources in us-east-1',
      },
    ]);
  });

  it('lets a later batch need a stage of an earlier one', async () => {
    const run = new StageRun();
    await run.run([stage('inventory', [])]);
    const ran: string[] = [];
    await run.run([stage('activity', ['inventory'], async () => void ran.push('activity'))]);
    expect(ran).toEqual(['activity']);
  });

  it('rejects a need that is no stage, and stages that wait on each other', async () => {
    await expect(new StageRun().run([stage('a', ['nowhere'])])).rejects.toThrow(
      'stage a needs nowhere, which is not a stage of this run',
    );
    await expect(new StageRun().run([stage('a', ['b']), stage('b', ['a'])])).rejects.toThrow(
      'stages wait on each other: a, b',
    );
  });

  it('gives one warning for a region that is not enabled, whatever failed there', async () => {
    const optIn = () =>
      Promise.reject(new AwsCallError('x', { operation: 'ec2:DescribeVolumes', code: 'OptInRequired' }));
    const run = new StageRun();
    await run.run([stage('volumes', [], optIn), stage('addresses', [], optIn)]);
    const warnings = run.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'region-unavailable', partial: false, region: 'us-east-1' });
  });

  it('fails the whole run when the credentials are unusable, since every stage would fail alike', async () => {
    const expired = () =>
      Promise.reject(
        new AwsCallError('the AWS credentials have expired', {
          operation: 'tag:GetResources',
          code: 'ExpiredToken',
        }),
      );
    await expect(new StageRun().run([stage('inventory', [], expired)])).rejects.toThrow(
      'the AWS credentials have expired',
    );
  });
});
