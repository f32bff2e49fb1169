import type { AwsClientPool } from './aws-client-pool.js';
import type { Deleter, LiveResource } from './deleter.js';
import type { TeardownTarget } from './teardown-target.js';

/**
 * `deleter.describe`, with the service's "not found" errors read as an answer: a describe by id of
 * something that no longer exists fails in most services (InvalidVolume.NotFound,
 * ResourceNotFoundException), and that means gone.
 */
export async function describeLive(
  deleter: Deleter,
  clients: AwsClientPool,
  target: TeardownTarget,
): Promise<LiveResource> {
  try {
    return await deleter.describe(clients, target);
  } catch (error) {
    if (deleter.notFound.includes(awsErrorCode(error))) return { status: 'gone', tags: {} };
    throw error;
  }
}

/** The AWS error code: AwsCallError.code, or an SDK error's name. */
export function awsErrorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const record = error as { code?: unknown; name?: unknown };
  if (typeof record.code === 'string') return record.code;
  return typeof record.name === 'string' ? record.name : '';
}
