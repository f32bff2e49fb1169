import { FINAL_COPY_TAG_KEY } from '../teardown-policy.js';

/** The tags pocketwatch puts on every final snapshot or backup it takes, so people can find them. */
export function finalCopyTags(finalCopyName: string, arn: string): Array<{ Key: string; Value: string }> {
  return [
    { Key: FINAL_COPY_TAG_KEY, Value: finalCopyName },
    { Key: 'pocketwatch:source', Value: arn.slice(0, 256) },
  ];
}

/** An EC2 describe filter for the snapshots of one final copy (a re-run finds what it started). */
export function finalCopyFilter(finalCopyName: string): { Name: string; Values: string[] } {
  return { Name: `tag:${FINAL_COPY_TAG_KEY}`, Values: [finalCopyName] };
}
