/**
 * The PoC named by a FOCUS `Tags` value: a JSON object of tag key → value. AWS writes user-defined
 * cost allocation tags with a `user:` prefix (`{"user:poc":"alpha"}`), other exporters without it, so
 * both spellings of the key are accepted.
 */

export class TagsFormatError extends Error {
  constructor(readonly text: string) {
    super(`not a JSON object: ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`);
    this.name = 'TagsFormatError';
  }
}

/** The keys that carry the tag, most specific first ("user:" is dropped if the caller gave it). */
export function tagKeyVariants(tagKey: string): [string, string] {
  const bare = tagKey.startsWith('user:') ? tagKey.slice('user:'.length) : tagKey;
  return [bare, `user:${bare}`];
}

/**
 * The tag's value in a Tags text, or null when the text is empty, `NULL`, `{}`, lacks the key or the
 * value is empty. Throws TagsFormatError when the text is not a JSON object.
 */
export function pocFromTags(text: string, keys: readonly string[]): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'NULL' || trimmed === '{}') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new TagsFormatError(text);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TagsFormatError(text);
  const tags = parsed as Record<string, unknown>;
  for (const key of keys) {
    if (!Object.hasOwn(tags, key)) continue;
    const value = tags[key];
    if (typeof value === 'string') {
      if (value !== '') return value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
  }
  return null;
}
