import { describe, expect, it } from 'vitest';
import {
  isAccessDenied,
  isCredentialsFailure,
  isOutage,
  isRegionUnavailable,
  isThrottlingError,
  toAwsCallError,
} from '../../../src/aws/aws-errors.js';

function sdkError(name: string, status?: number) {
  return Object.assign(new Error('x'), { name, $metadata: status ? { httpStatusCode: status } : {} });
}

/** The same error as the stages see it: explained by the metered client. */
const explained = (error: unknown) => toAwsCallError(error, { operation: 'ec2:DescribeVolumes' });

describe('what a failed call means for a run', () => {
  it('tells a throttled attempt (not billed) from others, raw or explained', () => {
    for (const error of [
      sdkError('ThrottlingException'),
      sdkError('Whatever', 429),
      sdkError('RequestLimitExceeded'),
    ]) {
      expect(isThrottlingError(error)).toBe(true);
      expect(isThrottlingError(explained(error))).toBe(true);
    }
    expect(isThrottlingError(sdkError('InternalError', 500))).toBe(false);
  });

  it('tells a region that is not enabled, or has no endpoint, from a denial', () => {
    const unresolvable = Object.assign(new Error('getaddrinfo ENOTFOUND ec2.xx-east-9.amazonaws.com'), {
      code: 'ENOTFOUND',
    });
    for (const error of [sdkError('OptInRequired', 401), sdkError('AuthFailure', 401), unresolvable]) {
      expect(isRegionUnavailable(explained(error))).toBe(true);
    }
    expect(isRegionUnavailable(explained(sdkError('UnauthorizedOperation', 403)))).toBe(false);
    expect(isAccessDenied(explained(sdkError('UnauthorizedOperation', 403)))).toBe(true);
  });

  it('opens a circuit for outages only, not for a request that was simply wrong', () => {
    for (const error of [
      sdkError('ThrottlingException'),
      sdkError('InternalError', 500),
      sdkError('AccessDenied', 403),
    ]) {
      expect(isOutage(error)).toBe(true);
    }
    expect(isOutage(sdkError('ValidationException', 400))).toBe(false);
    expect(isOutage(sdkError('InvalidParameterValue', 400))).toBe(false);
  });

  it('fails the run for credentials that cannot work anywhere', () => {
    for (const name of ['ExpiredToken', 'CredentialsProviderError', 'AssumeRoleError']) {
      expect(isCredentialsFailure(explained(sdkError(name)))).toBe(true);
    }
    expect(isCredentialsFailure(explained(sdkError('AccessDenied', 403)))).toBe(false);
  });
});
