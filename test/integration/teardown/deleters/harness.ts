import { expect } from 'vitest';
import { ApiMeter } from '../../../../src/aws/api-meter.js';
import { awsClientConfig } from '../../../../src/aws/aws-clients.js';
import { AwsCallError } from '../../../../src/aws/aws-errors.js';
import { AwsClientPool } from '../../../../src/teardown/aws-client-pool.js';
import type { DeleteOptions, Deleter } from '../../../../src/teardown/deleter.js';
import { type TeardownTarget, teardownTarget } from '../../../../src/teardown/teardown-target.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const FINAL_COPY = 'pocketwatch-exec-42-final';
export const KEEP: DeleteOptions = { keepData: true, finalCopyName: FINAL_COPY };
export const DISCARD: DeleteOptions = { keepData: false, finalCopyName: FINAL_COPY };

/** A client pool as a teardown builds it, one attempt per call so error tests see the first answer. */
export function clientPool(meter = new ApiMeter()): AwsClientPool {
  return new AwsClientPool(meter, awsClientConfig({ maxAttempts: 1 }));
}

export function target(arn: string, recorded: { type?: string; region?: string } = {}): TeardownTarget {
  return teardownTarget({ arn, ...recorded });
}

/** The AwsCallError a call fails with (the executor matches `code` against notFound/dependency). */
export async function failure(promise: Promise<unknown>): Promise<AwsCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AwsCallError);
  return error as AwsCallError;
}

/** Asserts the call fails with a code the deleter lists under `list`. */
export async function expectCode(
  deleter: Deleter,
  list: 'notFound' | 'dependency',
  promise: Promise<unknown>,
): Promise<string> {
  const error = await failure(promise);
  expect(deleter[list]).toContain(error.code);
  return error.code;
}
