import { describe, expect, it } from 'vitest';
import {
  firstFitting,
  fitMessage,
  fitToLimit,
  MessageTooLargeError,
  moreLine,
  SNS_MESSAGE_MAX_BYTES,
  utf8Bytes,
} from '../../../src/delivery/size-limits.js';

/** A list message: `keep` items of 100 bytes each, then a summary line for the rest. */
function listMessage(items: number, keep: number): string {
  const shown = Array.from(
    { length: Math.min(items, keep) },
    (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(95)}`,
  );
  const rest = items - shown.length;
  return [
    ...shown,
    ...(rest > 0 ? [moreLine(rest, 'item', 'items', 'see https://example.com/r')] : []),
    'end',
  ].join('\n');
}

describe('utf8Bytes', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('検')).toBe(3);
    expect(utf8Bytes('🚨')).toBe(4);
    expect(SNS_MESSAGE_MAX_BYTES).toBe(262_144);
  });
});

describe('fitMessage', () => {
  it('keeps everything when it fits', () => {
    const fitted = fitMessage((keep) => listMessage(10, keep), 10, 5000);
    expect(fitted).toEqual({ value: listMessage(10, 10), keep: 10, summarised: false });
  });

  it('shows as many items as fit and summarises the rest', () => {
    const fitted = fitMessage((keep) => listMessage(5000, keep), 5000);
    expect(fitted.summarised).toBe(true);
    expect(utf8Bytes(fitted.value)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(utf8Bytes(listMessage(5000, fitted.keep + 1))).toBeGreaterThan(SNS_MESSAGE_MAX_BYTES);
    expect(fitted.value).toContain(`… and ${5000 - fitted.keep} more items: see https://example.com/r\nend`);
    expect(fitted.value.endsWith('\nend')).toBe(true);
  });

  it('counts multi-byte characters against the limit', () => {
    const fitted = fitMessage((keep) => '検'.repeat(keep), 100, 30);
    expect(fitted.keep).toBe(10);
  });

  it('fails clearly when even the summary does not fit', () => {
    expect(() => fitMessage(() => 'x'.repeat(100), 5, 10)).toThrow(MessageTooLargeError);
    expect(() => fitMessage(() => 'x'.repeat(100), 5, 10)).toThrow('message is 100 over a limit of 10');
  });
});

describe('fitToLimit', () => {
  it('fits any value by any test', () => {
    const fitted = fitToLimit(
      (keep) => Array.from({ length: keep }, (_, i) => i),
      (list) => list.length <= 7,
      50,
    );
    expect(fitted.value).toHaveLength(7);
    expect(fitted.keep).toBe(7);
  });
});

describe('firstFitting and moreLine', () => {
  it('takes the first candidate that fits, else the last', () => {
    expect(firstFitting(['long text', 'short', 'x'], (t) => t.length <= 5)).toBe('short');
    expect(firstFitting(['long text', 'longer text'], (t) => t.length <= 2)).toBe('longer text');
  });

  it('counts in singular and plural', () => {
    expect(moreLine(1, 'PoC', 'PoCs')).toBe('… and 1 more PoC: see the full report');
    expect(moreLine(12, 'PoC', 'PoCs', 'see the report at https://x')).toBe(
      '… and 12 more PoCs: see the report at https://x',
    );
  });
});
