import { RECOMMENDATION_ID_PATTERN } from '../approval/approval-token.js';
import { InvalidEventError } from './governance-event.js';

/**
 * A message on the teardown queue: an approved recommendation to tear down. `owner` and `attempt`
 * are set when the worker queues a teardown it could not finish before its deadline: the same owner
 * resumes its own execution (it holds the lease).
 */
export interface TeardownMessage {
  recommendationId: string;
  owner?: string;
  attempt?: number;
}

/** Resumes queued with this delay: slow deletions (a final snapshot) get time to progress. */
export const TEARDOWN_RESUME_DELAY_SECONDS = 120;

/**
 * A teardown still unfinished after this many resumes (about 11 hours of waiting) fails instead: the
 * message goes to the dead-letter queue and its alarm fires.
 */
export const TEARDOWN_MAX_RESUMES = 96;

export function parseTeardownMessage(body: string): TeardownMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidEventError('a teardown message must be JSON: {"recommendationId":"…"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidEventError('a teardown message must be an object: {"recommendationId":"…"}');
  }
  const { recommendationId, owner, attempt } = parsed as Record<string, unknown>;
  if (typeof recommendationId !== 'string' || !RECOMMENDATION_ID_PATTERN.test(recommendationId)) {
    throw new InvalidEventError('"recommendationId" must be a recommendation id');
  }
  const message: TeardownMessage = { recommendationId };
  if (owner !== undefined) {
    if (typeof owner !== 'string' || owner.length > 128) throw new InvalidEventError('"owner" must be text');
    message.owner = owner;
  }
  if (attempt !== undefined) {
    if (!Number.isInteger(attempt) || (attempt as number) < 0) {
      throw new InvalidEventError('"attempt" must be a whole number');
    }
    message.attempt = attempt as number;
  }
  return message;
}
