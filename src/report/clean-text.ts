/**
 * Makes a user-provided string (a tag value, a policy field) safe to print in any output.
 *
 * Tag values come straight from AWS resources, so anyone who can tag a resource controls them. Line
 * breaks and tabs become spaces (they would break table rows); other control characters, including
 * the ESC that starts a terminal escape sequence, and bidirectional overrides that can make a name
 * render as a different one ("Trojan Source"), become U+FFFD so the oddity stays visible.
 */
export function cleanText(text: string): string {
  return (
    text
      .replace(/[\t\n\r\v\f]+/g, ' ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/g, '\uFFFD')
  );
}
