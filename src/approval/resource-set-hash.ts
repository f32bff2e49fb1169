import { createHash } from 'node:crypto';

/**
 * The hash an approval token is bound to: it names the exact set of resources a person saw when they
 * approved, so a link cannot be used once the set has changed.
 *
 * Definition (stable; changing it invalidates every outstanding link):
 *   1. drop duplicate ARNs (exact string equality; no trimming or case folding: ARNs are compared as-is),
 *   2. sort them by UTF-16 code unit (`a < b`, the same order `recommendationId` uses),
 *   3. serialise the sorted array with `JSON.stringify` (unambiguous: no separator can collide with
 *      characters inside an ARN),
 *   4. SHA-256 over the UTF-8 bytes of that JSON, as 64 lowercase hex characters.
 *
 * So order and repetition do not matter; adding, removing or changing any ARN gives a different hash.
 * The empty set hashes `[]`.
 */
export function resourceSetHash(arns: readonly string[]): string {
  for (const arn of arns) {
    if (typeof arn !== 'string') throw new TypeError('resourceSetHash: every ARN must be a string');
  }
  const sorted = [...new Set(arns)].sort(compareCodeUnits);
  return createHash('sha256').update(JSON.stringify(sorted), 'utf8').digest('hex');
}

/** `resourceSetHash` of a recommendation's resources (a `Recommendation` fits). */
export function recommendationResourceSetHash(recommendation: {
  resources: readonly { arn: string }[];
}): string {
  return resourceSetHash(recommendation.resources.map((resource) => resource.arn));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
