/**
 * Keeping a message within a size limit by showing fewer items, never by cutting text.
 *
 * A digest message lists PoCs, alerts and recommendations. When the whole list would not fit (SNS
 * takes at most 256 KB, a Chatbot description about 8,000 characters, a Slack message 50 blocks), the
 * renderer shows the first `keep` items of each list and a summary line for the rest ("… and 12 more
 * PoCs: see the report"). The functions here find the largest `keep` that fits, so the message is as
 * complete as the limit allows and always ends where the renderer meant it to end.
 */

/** SNS `Publish`: the message, UTF-8 encoded, may be at most 256 KB. */
export const SNS_MESSAGE_MAX_BYTES = 262_144;

const encoder = new TextEncoder();

/** Bytes the text takes in UTF-8. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** Thrown when even the shortest form of a message (every list summarised) is over the limit. */
export class MessageTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message is ${size} over a limit of ${limit} even with every list summarised`);
    this.name = 'MessageTooLargeError';
  }
}

export interface Fitted<T> {
  value: T;
  /** Items shown from each list; `maxKeep` when nothing had to be summarised. */
  keep: number;
  /** True when some items were left out and summarised. */
  summarised: boolean;
}

/**
 * The rendering with the largest `keep` in [0, maxKeep] that `fits`.
 *
 * `render(keep)` must show at most `keep` items of each list and summarise the rest, so that a smaller
 * `keep` never gives a larger message; the search is then a bisection (about log2(maxKeep) renders).
 * Throws MessageTooLargeError when `render(0)` does not fit either; `sizeOf` only feeds that error.
 */
export function fitToLimit<T>(
  render: (keep: number) => T,
  fits: (value: T) => boolean,
  maxKeep: number,
  sizeOf: (value: T) => number = () => Number.NaN,
  limit = Number.NaN,
): Fitted<T> {
  const top = Math.max(0, Math.floor(maxKeep));
  const full = render(top);
  if (fits(full)) return { value: full, keep: top, summarised: false };
  const smallest = render(0);
  if (!fits(smallest)) throw new MessageTooLargeError(sizeOf(smallest), limit);
  // Invariant: render(low) fits, render(high) does not.
  let low = 0;
  let high = top;
  let best = smallest;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    const value = render(mid);
    if (fits(value)) {
      low = mid;
      best = value;
    } else {
      high = mid;
    }
  }
  return { value: best, keep: low, summarised: true };
}

/**
 * A text message of at most `limitBytes` bytes in UTF-8 (SNS's 256 KB by default), with as many
 * items as fit: see fitToLimit.
 */
export function fitMessage(
  render: (keep: number) => string,
  maxKeep: number,
  limitBytes: number = SNS_MESSAGE_MAX_BYTES,
): Fitted<string> {
  return fitToLimit(render, (text) => utf8Bytes(text) <= limitBytes, maxKeep, utf8Bytes, limitBytes);
}

/** The first candidate that fits, or the last one when none does (give a last one that always fits). */
export function firstFitting(candidates: readonly string[], fits: (text: string) => boolean): string {
  for (const candidate of candidates) if (fits(candidate)) return candidate;
  return candidates.at(-1) ?? '';
}

/**
 * "… and 12 more PoCs: see the full report"; `where` replaces "see the full report" (a renderer passes
 * its own link markup). `noun` is singular, `nouns` plural.
 */
export function moreLine(count: number, noun: string, nouns: string, where = 'see the full report'): string {
  return `… and ${count} more ${count === 1 ? noun : nouns}: ${where}`;
}
