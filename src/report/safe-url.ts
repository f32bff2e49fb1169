const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL to link to, or undefined when it must not become a link: anything that is not an absolute
 * http(s) or mailto URL — `javascript:`, `data:`, `vbscript:`, relative paths, garbage. The URL
 * parser removes tabs and newlines first, so "java\tscript:" is caught as javascript: too.
 */
export function safeLinkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (!LINK_PROTOCOLS.has(parsed.protocol)) return undefined;
  if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname === '')
    return undefined;
  return parsed.href;
}
