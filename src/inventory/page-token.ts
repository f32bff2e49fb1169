/**
 * Follows pagination tokens safely: returns the token to send next, or undefined when the listing is
 * done (absent or empty token; the Tagging API ends with ''). A token seen before means the service
 * (or a proxy) is looping, and since some of these calls are billed we stop rather than spin.
 */
export function nextPageToken(
  token: string | undefined,
  seen: Set<string>,
  operation: string,
): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (seen.has(token)) throw new Error(`${operation} returned the same pagination token twice; stopping`);
  seen.add(token);
  return token;
}
