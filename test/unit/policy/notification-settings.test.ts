import { describe, expect, it } from 'vitest';
import { load } from './policy-dir.js';

const POLICY = 'poc: a\nowners: [x]\n';

describe('settings.notifications', () => {
  it('reads topics, email and per-owner digests', async () => {
    const result = await load({
      'settings.yaml': [
        'notifications:',
        '  alertTopicArn: arn:aws:sns:us-east-1:111122223333:pocketwatch-alerts',
        '  digestTopicArn: arn:aws:sns:us-east-1:111122223333:pocketwatch-digest',
        '  email: { from: pocketwatch@example.com, to: [team@example.com] }',
        '  perOwnerDigests: true',
        '',
      ].join('\n'),
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings.notifications).toEqual({
      alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:pocketwatch-alerts',
      digestTopicArn: 'arn:aws:sns:us-east-1:111122223333:pocketwatch-digest',
      email: { from: 'pocketwatch@example.com', to: ['team@example.com'] },
      perOwnerDigests: true,
    });
  });

  it('rejects a topic that is not an SNS ARN, and an unknown key with a suggestion, at their places', async () => {
    const result = await load({
      'settings.yaml': 'notifications:\n  alertTopicArn: pocketwatch-alerts\n  digestTopicArm: x\n',
      'a.yaml': POLICY,
    });
    expect(result.errors.map((error) => [error.line, error.field])).toEqual([
      [2, 'notifications.alertTopicArn'],
      [3, 'notifications.digestTopicArm'],
    ]);
    expect(result.errors[1]?.suggestion).toBe('digestTopicArn');
  });
});
