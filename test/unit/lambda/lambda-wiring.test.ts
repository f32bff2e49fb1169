import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { keysOf } from '../../../src/approval/keyring.js';
import { functionUrlResult, httpRequestFromFunctionUrl } from '../../../src/lambda/function-url-http.js';
import { InvalidEventError, parseGovernanceRunEvent } from '../../../src/lambda/governance-event.js';
import { keyringFromSecretValue } from '../../../src/lambda/keyring-secret.js';
import { LambdaConfigError, requiredEnv } from '../../../src/lambda/lambda-env.js';
import { parseMemberScanEvent } from '../../../src/lambda/member-scan-event.js';
import { CachedSecretReader } from '../../../src/lambda/secret-reader.js';
import { SlackWebhookSecretError, slackWebhookFromSecret } from '../../../src/lambda/slack-webhook-secret.js';
import { parseTeardownMessage } from '../../../src/lambda/teardown-message.js';

const SECRET = 'A'.repeat(32) + 'b'.repeat(32);

describe('events', () => {
  it('accepts the schedules’ and the state machine’s governance events, and refuses anything else', () => {
    expect(parseGovernanceRunEvent({ mode: 'daily' })).toEqual({ mode: 'daily' });
    expect(parseGovernanceRunEvent({ mode: 'daily', memberScanRunId: 'abc-1', asOf: '2026-11-19' })).toEqual({
      mode: 'daily',
      memberScanRunId: 'abc-1',
      asOf: '2026-11-19',
    });
    expect(() => parseGovernanceRunEvent({ mode: 'budget-check', memberScanRunId: 'x' })).toThrow(
      InvalidEventError,
    );
    expect(() => parseGovernanceRunEvent({ mode: 'daily', asOf: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(() => parseGovernanceRunEvent('daily')).toThrow(InvalidEventError);
  });

  it('reads member scan events and teardown messages', () => {
    expect(parseMemberScanEvent({ account: '111122223333', runId: 'r1', asOf: '2026-11-19' })).toMatchObject({
      account: '111122223333',
    });
    expect(() => parseMemberScanEvent({ account: '1111', runId: 'r1', asOf: '2026-11-19' })).toThrow(
      /12-digit/,
    );
    expect(parseTeardownMessage('{"recommendationId":"rec-1","owner":"o","attempt":2}')).toEqual({
      recommendationId: 'rec-1',
      owner: 'o',
      attempt: 2,
    });
    expect(() => parseTeardownMessage('not json')).toThrow(InvalidEventError);
  });
});

describe('configuration', () => {
  it('names the variable a deployment left out', () => {
    expect(() => requiredEnv('tableName', {})).toThrow(LambdaConfigError);
    expect(() => requiredEnv('tableName', {})).toThrow(/POCKETWATCH_TABLE_NAME is not set/);
    expect(requiredEnv('tableName', { POCKETWATCH_TABLE_NAME: ' t ' })).toBe('t');
  });
});

describe('secrets', () => {
  it('reads each secret once per five minutes, and again after a failure', async () => {
    let now = 0;
    let calls = 0;
    const client = {
      send: async () => {
        calls += 1;
        if (calls === 2) throw new Error('throttled');
        return { SecretString: `value-${calls}` };
      },
    };
    const reader = new CachedSecretReader(client as never, () => now);
    expect(await Promise.all([reader.read('s'), reader.read('s')])).toEqual(['value-1', 'value-1']);
    now = 5 * 60 * 1000 + 1;
    await expect(reader.read('s')).rejects.toThrow('throttled');
    expect(await reader.read('s')).toBe('value-3');
    expect(calls).toBe(3);
  });

  it('takes the generated single key as the current key, and the full keyring as it is', () => {
    const single = keyringFromSecretValue(JSON.stringify({ id: 'initial', secret: SECRET }));
    expect(single.current.id).toBe('initial');
    expect(single.current.secret.length).toBe(48);
    const full = keyringFromSecretValue(
      JSON.stringify({
        current: { id: 'k2', secret: SECRET },
        previous: [{ id: 'initial', secret: SECRET }],
      }),
    );
    expect(keysOf(full).map((key) => key.id)).toEqual(['k2', 'initial']);
    expect(() => keyringFromSecretValue('{"id":"x","secret":"c2hvcnQ="}')).toThrow(/at least 32/);
  });

  it('treats the Slack placeholder as “no Slack” and refuses anything but an https URL, without echoing it', () => {
    expect(slackWebhookFromSecret('none')).toBeUndefined();
    expect(slackWebhookFromSecret(' https://hooks.slack.com/services/T/B/x ')).toBe(
      'https://hooks.slack.com/services/T/B/x',
    );
    expect(() => slackWebhookFromSecret('http://secret-value')).toThrow(SlackWebhookSecretError);
    expect(() => slackWebhookFromSecret('http://secret-value')).not.toThrow(/secret-value/);
  });
});

describe('Function URL requests', () => {
  it('become the plain HTTP exchange the approval endpoint handles', () => {
    const event = {
      rawPath: '/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'test' },
      queryStringParameters: { token: 'abc,def' },
      body: Buffer.from('action=approve').toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'post', sourceIp: '198.51.100.7' } },
    } as unknown as LambdaFunctionURLEvent;
    expect(httpRequestFromFunctionUrl(event)).toEqual({
      method: 'POST',
      path: '/',
      query: { token: 'abc' },
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test' },
      body: 'action=approve',
      sourceIp: '198.51.100.7',
    });
    expect(functionUrlResult({ status: 303, headers: { location: '/done' }, body: '' })).toEqual({
      statusCode: 303,
      headers: { location: '/done' },
      body: '',
      isBase64Encoded: false,
    });
  });
});
