/** `[{Key, Value}]` (EC2, RDS, ELB, …) as a record; entries without a key are dropped. */
export function tagsOf(
  tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

/** The tags pocketwatch puts on every final snapshot or backup it takes, so people can find them. */
export function finalCopyTags(finalCopyName: string, arn: string): Array<{ Key: string; Value: string }> {
  return [
    { Key: 'pocketwatch:final-copy', Value: finalCopyName },
    { Key: 'pocketwatch:source', Value: arn.slice(0, 256) },
  ];
}
