/**
 * A byte-level CSV record scanner (RFC 4180: comma separator, `"` quotes, doubled quotes inside
 * quoted fields, LF or CRLF line ends, newlines allowed inside quoted fields).
 *
 * It works on a caller-owned byte buffer and records only the positions of the fields the caller
 * asked for, so scanning a wide billing export allocates nothing per row; the caller decodes just the
 * few fields it needs. A record that runs past the end of the data scanned so far is reported as
 * incomplete (NEED_MORE) so the caller can append the next chunk and scan that record again.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** scanRecord's answer when the record continues past `limit`: append more data and call again. */
export const NEED_MORE = -1;

export class CsvRecordScanner {
  /** Raw start of each wanted field (at the opening quote for a quoted field). */
  readonly starts: Int32Array;
  /** Raw end of each wanted field (after the closing quote; CR of a CRLF excluded). */
  readonly ends: Int32Array;
  /** Fields in the last record scanned (an empty line counts as one empty field). */
  fieldCount = 0;
  /** LF bytes consumed by the last record, its terminator and quoted newlines included. */
  newlines = 0;
  /** The last record had a character between a closing quote and the next separator. */
  strayAfterQuote = false;
  /** The data ended inside a quoted field (only when scanning with `final`). */
  unterminated = false;

  private readonly slotOf: Int32Array;

  /**
   * @param wanted column indexes to record, in slot order: slot i receives column wanted[i]
   *   (a negative entry is an absent column and stays unset).
   */
  constructor(wanted: readonly number[]) {
    const width = Math.max(0, ...wanted) + 1;
    this.slotOf = new Int32Array(width).fill(-1);
    wanted.forEach((column, slot) => {
      if (column >= 0) this.slotOf[column] = slot;
    });
    this.starts = new Int32Array(Math.max(1, wanted.length));
    this.ends = new Int32Array(Math.max(1, wanted.length));
  }

  /**
   * Scans one record starting at `pos`. Returns the position after its line end, or NEED_MORE when
   * the record may continue past `limit` and `final` is false. With `final`, the data ends at
   * `limit`: a last line without a line end is complete, and an open quote sets `unterminated`.
   */
  scanRecord(buf: Uint8Array, pos: number, limit: number, final: boolean): number {
    const slotOf = this.slotOf;
    const width = slotOf.length;
    const starts = this.starts;
    const ends = this.ends;
    let p = pos;
    let field = 0;
    let newlines = 0;
    let stray = false;
    this.unterminated = false;
    for (;;) {
      const fieldStart = p;
      let fieldEnd: number;
      if (p < limit && buf[p] === QUOTE) {
        p++;
        for (;;) {
          while (p < limit) {
            const c = buf[p] as number;
            if (c <= QUOTE) {
              if (c === QUOTE) break;
              if (c === LF) newlines++;
            }
            p++;
          }
          if (p + 1 >= limit) {
            // The quote (or the data) ends at limit: only the end of the data settles what it means.
            if (!final) return NEED_MORE;
            if (p >= limit) {
              this.unterminated = true;
              this.fieldCount = field + 1;
              this.newlines = newlines;
              this.strayAfterQuote = stray;
              return limit;
            }
            p++;
            break;
          }
          if (buf[p + 1] === QUOTE) {
            p += 2;
            continue;
          }
          p++;
          break;
        }
        fieldEnd = p;
        if (p < limit) {
          let c = buf[p] as number;
          if (c === CR) {
            if (p + 1 < limit) {
              if (buf[p + 1] === LF) {
                p++;
                c = LF;
              }
            } else if (final) {
              p++;
              c = LF;
            } else {
              return NEED_MORE;
            }
          }
          if (c !== COMMA && c !== LF) {
            // `"abc"x`: keep scanning to the separator so the record stays aligned, but flag it.
            stray = true;
            while (p < limit) {
              const d = buf[p] as number;
              if (d === COMMA || d === LF) break;
              p++;
            }
            fieldEnd = p;
          }
        }
      } else {
        while (p < limit) {
          const c = buf[p] as number;
          // Most bytes are above ',', so one compare usually settles it (measurably faster).
          if (c <= COMMA && (c === COMMA || c === LF)) break;
          p++;
        }
        fieldEnd = p;
      }
      if (p >= limit && !final) return NEED_MORE;
      const atComma = p < limit && buf[p] === COMMA;
      if (!atComma && fieldEnd > fieldStart && buf[fieldEnd - 1] === CR) fieldEnd--;
      if (field < width) {
        const slot = slotOf[field] as number;
        if (slot >= 0) {
          starts[slot] = fieldStart;
          ends[slot] = fieldEnd;
        }
      }
      if (atComma) {
        field++;
        p++;
        continue;
      }
      this.fieldCount = field + 1;
      this.strayAfterQuote = stray;
      if (p < limit) {
        // At the LF.
        this.newlines = newlines + 1;
        return p + 1;
      }
      this.newlines = newlines;
      return limit;
    }
  }
}

const decoder = new TextDecoder('utf-8');

/** Decodes a raw field (as recorded by the scanner) to its text: outer quotes removed, `""` → `"`. */
export function decodeField(buf: Uint8Array, start: number, end: number): string {
  if (end > start && buf[start] === QUOTE) {
    const inner = decoder.decode(
      buf.subarray(start + 1, end > start + 1 && buf[end - 1] === QUOTE ? end - 1 : end),
    );
    return inner.includes('"') ? inner.replaceAll('""', '"') : inner;
  }
  return decoder.decode(buf.subarray(start, end));
}

/** Every field of the last record as text, for a scanner that wants columns 0..n-1 (headers, tests). */
export function recordedFields(scanner: CsvRecordScanner, buf: Uint8Array): string[] {
  const count = Math.min(scanner.fieldCount, scanner.starts.length);
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    fields.push(decodeField(buf, scanner.starts[i] as number, scanner.ends[i] as number));
  }
  return fields;
}
