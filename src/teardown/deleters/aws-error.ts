import { AwsCallError } from '../../aws/aws-errors.js';
import { errorMessage } from '../../core/error-message.js';

/**
 * The AWS error code of a failed call: the pool's clients turn every final error into an
 * AwsCallError whose `code` is the service's own code ("DBInstanceNotFound", "NoSuchBucket").
 */
export function awsErrorCode(error: unknown): string | undefined {
  if (error instanceof AwsCallError) return error.code;
  if (typeof error === 'object' && error !== null) {
    const record = error as { code?: unknown; Code?: unknown; name?: unknown };
    if (typeof record.code === 'string') return record.code;
    if (typeof record.Code === 'string') return record.Code;
    if (typeof record.name === 'string') return record.name;
  }
  return undefined;
}

/** The service's own message (an AwsCallError keeps the SDK error as its cause). */
function awsErrorMessage(error: unknown): string {
  const cause = error instanceof AwsCallError ? error.cause : error;
  const message = (cause as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message) return message;
  return errorMessage(error);
}

/** Whether `error` carries one of `codes`, and, when given, a message matching `message`. */
export function isAwsError(error: unknown, codes: readonly string[], message?: RegExp): boolean {
  const code = awsErrorCode(error);
  if (code === undefined || !codes.includes(code)) return false;
  return message === undefined || message.test(awsErrorMessage(error));
}
