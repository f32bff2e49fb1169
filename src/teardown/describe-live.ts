import type { AwsClientPool } from './aws-client-pool.js';
import type { Deleter, LiveResource } from './deleter.js';
import { awsErrorCode } from './deleters/aws-error.js';
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
    if (deleter.notFound.includes(awsErrorCode(error) ?? '')) return { status: 'gone', tags: {} };
    throw error;
  }
}
