import { DataUnavailableException, LimitExceededException } from '@aws-sdk/client-cost-explorer';
import { describe, expect, it } from 'vitest';
import { AwsCallError, describeAwsError, toAwsCallError } from '../../../src/aws/aws-errors.js';

const CONTEXT = { operation: 'ce:GetCostAndUsage' };

function sdkError(
  name: string,
  message: string,
  metadata: { httpStatusCode?: number; attempts?: number } = {},
) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: metadata });
}

describe('describeAwsError', () => {
  it('names the IAM action for access denied errors', () => {
    for (const name of ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']) {
      const message = describeAwsError(sdkError(name, 'not authorized'), CONTEXT);
      expect(message).toBe(
        `missing IAM permission ce:GetCostAndUsage (${name}: not authorized); allow ce:GetCostAndUsage for the identity pocketwatch runs as`,
      );
    }
  });

  it('says when Cost Explorer is not enabled rather than blaming IAM', () => {
    const message = describeAwsError(
      sdkError('AccessDeniedException', 'User not enabled for cost explorer access'),
      CONTEXT,
    );
    expect(message).toMatch(/^Cost Explorer is not enabled for this account/);
  });

  it('says a throttled call failed after its attempts', () => {
    const error = new LimitExceededException({ message: 'Rate exceeded', $metadata: { attempts: 5 } });
    expect(describeAwsError(error, CONTEXT)).toBe(
      'Cost Explorer throttled ce:GetCostAndUsage (LimitExceededException) and it still failed after 5 attempts; wait a few minutes and run again, or raise POCKETWATCH_AWS_MAX_ATTEMPTS',
    );
    expect(
      describeAwsError(sdkError('TooManyRequests', 'slow down', { httpStatusCode: 429 }), CONTEXT),
    ).toMatch(/throttled/);
  });

  it('says how to fix credentials', () => {
    expect(
      describeAwsError(
        sdkError('ExpiredTokenException', 'The security token included in the request is expired'),
        CONTEXT,
      ),
    ).toMatch(/^the AWS credentials have expired .*aws sso login/);
    expect(
      describeAwsError(sdkError('UnrecognizedClientException', 'The security token is invalid'), CONTEXT),
    ).toMatch(/^AWS rejected the credentials for ce:GetCostAndUsage .*AWS_PROFILE/);
    expect(
      describeAwsError(
        sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
        CONTEXT,
      ),
    ).toMatch(
      /^no usable AWS credentials \(Could not load credentials from any providers\); .*aws configure/,
    );
    expect(describeAwsError(new Error('Region is missing'), CONTEXT)).toMatch(/^no AWS region configured/);
  });

  it('explains Cost Explorer data errors in plain words', () => {
    const error = new DataUnavailableException({
      message: 'Insufficient amount of historical data',
      $metadata: {},
    });
    expect(describeAwsError(error, CONTEXT)).toMatch(
      /^ce:GetCostAndUsage failed: Cost Explorer has no data for the requested period yet \(DataUnavailableException\); /,
    );
    expect(describeAwsError(sdkError('BillExpirationException', 'x'), CONTEXT)).toMatch(
      /older than Cost Explorer keeps/,
    );
    expect(describeAwsError(sdkError('InvalidNextTokenException', 'x'), CONTEXT)).toMatch(/page token/);
    expect(describeAwsError(sdkError('RequestChangedException', 'x'), CONTEXT)).toMatch(
      /changed between pages/,
    );
    expect(describeAwsError(sdkError('ValidationException', 'start date is too old'), CONTEXT)).toBe(
      'Cost Explorer rejected ce:GetCostAndUsage as invalid (start date is too old)',
    );
  });

  it('names the endpoint of network errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 4566,
      $metadata: { attempts: 3 },
    });
    expect(describeAwsError(refused, CONTEXT)).toBe(
      'could not reach 127.0.0.1:4566 for ce:GetCostAndUsage (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4566) after 3 attempts; check the network, proxy and any AWS_ENDPOINT_URL setting',
    );
    expect(describeAwsError(refused, { ...CONTEXT, endpoint: 'http://localhost:4566' })).toMatch(
      /^could not reach http:\/\/localhost:4566 /,
    );
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND ce.us-east-1.amazonaws.com'), {
      code: 'ENOTFOUND',
      hostname: 'ce.us-east-1.amazonaws.com',
    });
    expect(describeAwsError(dns, CONTEXT)).toMatch(/^could not reach ce\.us-east-1\.amazonaws\.com /);
  });

  it('keeps other errors to one line without a stack', () => {
    const message = describeAwsError(
      sdkError('InternalFailure', 'boom\n    at somewhere', { httpStatusCode: 500, attempts: 5 }),
      CONTEXT,
    );
    expect(message).toBe(
      'Cost Explorer failed with a server error on ce:GetCostAndUsage (InternalFailure: boom, HTTP 500) after 5 attempts; try again later',
    );
    expect(describeAwsError('weird', CONTEXT)).toBe('ce:GetCostAndUsage failed (Error: weird)');
    expect(describeAwsError(sdkError('SomethingNew', 'x'), CONTEXT)).toBe(
      'ce:GetCostAndUsage failed (SomethingNew: x)',
    );
  });
});

describe('toAwsCallError', () => {
  it('wraps with the code, attempts and cause, and passes AwsCallError through', () => {
    const cause = sdkError('AccessDeniedException', 'no', { attempts: 1 });
    const error = toAwsCallError(cause, CONTEXT);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.name).toBe('AwsCallError');
    expect(error.code).toBe('AccessDeniedException');
    expect(error.attempts).toBe(1);
    expect(error.operation).toBe('ce:GetCostAndUsage');
    expect(error.cause).toBe(cause);
    expect(toAwsCallError(error, CONTEXT)).toBe(error);
  });
});
