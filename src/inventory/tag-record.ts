/** AWS tag lists ({Key, Value} pairs, as the Tagging API and EC2 return them) as a plain record. */
export function tagRecord(
  tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  }
  return record;
}
