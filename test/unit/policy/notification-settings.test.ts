import { describe, expect, it } from 'vitest';
import { notificationTargets } from '../../../src/app/notify.js';
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

  it('reads the approval page URL, which POCKETWATCH_APPROVAL_URL overrides', async () => {
    const result = await load({
      'settings.yaml': 'notifications:\n  approvalUrl: https://approve.example.com/\n',
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([]);
    const notifications = result.policySet?.settings.notifications;
    expect(notifications).toEqual({ approvalUrl: 'https://approve.example.com/' });
    expect(notificationTargets(notifications, {}).approvalUrl).toBe('https://approve.example.com/');
    expect(
      notificationTargets(notifications, { POCKETWATCH_APPROVAL_URL: 'http://127.0.0.1:8787/' }).approvalUrl,
    ).toBe('http://127.0.0.1:8787/');
    expect(notificationTargets(undefined, {})).not.toHaveProperty('approvalUrl');
  });

  it('rejects an approval URL that is not http(s), at its place', async () => {
    const result = await load({
      'settings.yaml': 'notifications:\n  approvalUrl: javascript:alert(1)\n',
      'a.yaml': POLICY,
    });
    expect(result.errors.map((error) => [error.line, error.field])).toEqual([
      [2, 'notifications.approvalUrl'],
    ]);
  });
});
