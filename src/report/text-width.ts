/**
 * Terminal display width of strings, so columns line up whatever a PoC is called.
 *
 * Width is counted per grapheme (what the user sees as one character): combining marks and joiners
 * add nothing, East Asian wide and fullwidth characters and emoji count 2, everything else 1 — so the
 * block characters of bars and sparklines (█ ░ ▶ ▁…) count 1. ANSI colour codes count 0.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI sequence starts with ESC
const ANSI_SGR = /\u001b\[[0-9;]*m/g;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
/** Combining marks (variation selectors included) and format characters (ZWJ, ZWSP, LRM…). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, '');
}

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

function graphemeWidth(grapheme: string): number {
  if (EMOJI_PRESENTATION.test(grapheme) || grapheme.includes('\ufe0f')) return 2;
  const first = grapheme.codePointAt(0) ?? 0;
  if (ZERO_WIDTH.test(String.fromCodePoint(first))) return 0;
  return isWide(first) ? 2 : 1;
}

/** Columns the text occupies in a terminal (ANSI codes excluded). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(stripAnsi(text))) width += graphemeWidth(segment);
  return width;
}

export function padEndDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function padStartDisplay(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** Cuts plain text (no ANSI codes) to at most `width` columns, ending with "…" when cut. */
export function truncateDisplay(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
