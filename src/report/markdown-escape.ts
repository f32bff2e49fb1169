import { cleanText } from './clean-text.js';

/**
 * Makes a user-provided string literal text in GitHub-flavoured markdown, in a table cell or inline:
 * backslash-escapes every character that could start emphasis, code, links, images, HTML, table cell
 * breaks, strikethrough, math (`$`), entities (`&`) or @-mentions, after cleanText() has turned line
 * breaks into spaces so nothing can start a new block.
 */
export function escapeMarkdown(text: string): string {
  return cleanText(text).replace(/[\\`*_{}[\]()<>#+!|~@&$]/g, (char) => `\\${char}`);
}

/** A URL for a markdown link destination: characters that would end or break it percent-encoded. */
export function markdownUrl(url: string): string {
  return url.replace(
    /[\s()<>|`\\"'[\]]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
