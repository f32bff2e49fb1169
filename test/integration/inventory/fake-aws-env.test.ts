import { describe, expect, it } from 'vitest';
import { signedRegion, useFakeAwsEnv } from '../../support/fake-aws-env.js';

describe('useFakeAwsEnv', () => {
  it('sets the fake credentials and endpoint, then restores set and unset variables exactly', () => {
    const originalProfile = process.env.AWS_PROFILE;
    process.env.AWS_PROFILE = 'someone';
    const before = { ...process.env };
    const restore = useFakeAwsEnv({ AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:1' });
    expect(process.env.AWS_ENDPOINT_URL_EC2).toBe('http://127.0.0.1:1');
    expect(process.env.AWS_ACCESS_KEY_ID).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(process.env.AWS_PROFILE).toBeUndefined();
    restore();
    expect(process.env).toEqual(before);
    if (originalProfile === undefined) delete process.env.AWS_PROFILE;
    else process.env.AWS_PROFILE = originalProfile;
  });

  it('reads the signing region from a SigV4 Authorization header', () => {
    expect(
      signedRegion(
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/eu-west-1/monitoring/aws4_request, SignedHeaders=host, Signature=abc',
      ),
    ).toBe('eu-west-1');
    expect(signedRegion(undefined)).toBeUndefined();
  });
});
