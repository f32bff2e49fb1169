import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoneyFormatError, parseMoney } from '../../../src/core/money.js';
import { AmountParts, parseAmountBytes, parseAmountFast } from '../../../src/sources/exact-amount.js';

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function parse(text: string): bigint {
  const buf = bytes(text);
  return parseAmountBytes(buf, 0, buf.length);
}

/** parseMoney's answer, or the error class name when it throws. */
function reference(text: string): bigint | string {
  try {
    return parseMoney(text);
  } catch (error) {
    return (error as Error).name;
  }
}

function ours(text: string): bigint | string {
  try {
    return parse(text);
  } catch (error) {
    return (error as Error).name;
  }
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Decimal-looking strings: signs, leading zeros, up to 25 decimals, exponents, stray bytes. */
const decimalText = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    digits(0, 14),
    fc.option(digits(0, 25), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits(0, 3)), {
      nil: undefined,
    }),
  )
  .map(([sign, whole, fraction, exponent]) => {
    let text = sign + whole;
    if (fraction !== undefined) text += `.${fraction}`;
    if (exponent) text += exponent.join('');
    return text;
  });

describe('exact amount parsing', () => {
  it('agrees with parseMoney on decimal-looking text (property)', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        expect(ours(text)).toEqual(reference(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with parseMoney on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        expect(ours(text)).toEqual(reference(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with parseMoney on amounts printed from random doubles (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        (value, d) => {
          const text = value.toFixed(d);
          expect(ours(text)).toEqual(reference(text));
          const plain = String(value);
          expect(ours(plain)).toEqual(reference(plain));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('takes the fast path for typical billing amounts', () => {
    const parts = new AmountParts();
    for (const text of ['0.0000023487', '40.3543773134', '-12.5', '123456789.123456789123456789']) {
      const buf = bytes(text);
      expect(parseAmountFast(buf, 0, buf.length, parts)).toBe(true);
    }
    expect(parts).toMatchObject({ negative: false, whole: 123456789, high: 123456789, low: 123456789 });
  });

  it('leaves exponents, long amounts and garbage to parseMoney', () => {
    const parts = new AmountParts();
    for (const text of ['1.2E-7', '1234567890.5', '0.1234567890123456789', '', '-', '.', 'abc', ' 1']) {
      const buf = bytes(text);
      expect(parseAmountFast(buf, 0, buf.length, parts)).toBe(false);
    }
    expect(parse('1.2E-7')).toBe(120_000_000_000n);
    expect(parse('1234567890.5')).toBe(1_234_567_890_500_000_000_000_000_000n);
    expect(parse('0.1234567890123456785')).toBe(123_456_789_012_345_678n); // half-even at the 18th
    expect(() => parse('abc')).toThrow(MoneyFormatError);
    expect(() => parse('')).toThrow(MoneyFormatError);
  });

  it('reads a slice inside a larger buffer', () => {
    const buf = bytes('x,-0.5,y');
    expect(parseAmountBytes(buf, 2, 6)).toBe(-500_000_000_000_000_000n);
  });
});
