import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCurrency,
  formatMoney,
  formatMoneyExact,
  MoneyFormatError,
  moneyFromNumber,
  moneyToNumber,
  parseMoney,
  scaleMoney,
} from '../../../src/core/money.js';

describe('parseMoney', () => {
  it('keeps ten and more decimals exactly', () => {
    expect(formatMoneyExact(parseMoney('40.3543773134'))).toBe('40.3543773134');
    expect(formatMoneyExact(parseMoney('0.000000000000000001'))).toBe('0.000000000000000001');
    expect(parseMoney('0.1') + parseMoney('0.2')).toBe(parseMoney('0.3'));
  });

  it('reads signs, bare fractions and exponents', () => {
    expect(formatMoneyExact(parseMoney('-5'))).toBe('-5');
    expect(formatMoneyExact(parseMoney('.5'))).toBe('0.5');
    expect(formatMoneyExact(parseMoney('1.25E-7'))).toBe('0.000000125');
    expect(formatMoneyExact(parseMoney('3e2'))).toBe('300');
  });

  it('rounds half to even past 18 decimals', () => {
    expect(formatMoneyExact(parseMoney('0.0000000000000000015'))).toBe('0.000000000000000002');
    expect(formatMoneyExact(parseMoney('0.0000000000000000025'))).toBe('0.000000000000000002');
    expect(formatMoneyExact(parseMoney('0.00000000000000000251'))).toBe('0.000000000000000003');
  });

  it.each(['', '.', 'abc', '1.2.3', '$5', '1,5', 'NaN', '--1'])('rejects %j', (text) => {
    expect(() => parseMoney(text)).toThrow(MoneyFormatError);
  });

  it('round-trips any decimal with up to 18 places', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (units) => {
        const text = formatMoneyExact(units);
        expect(parseMoney(text)).toBe(units);
      }),
    );
  });
});

describe('formatting', () => {
  it('groups thousands and rounds for display only', () => {
    expect(formatMoney(parseMoney('1234567.895'))).toBe('1,234,567.90');
    expect(formatCurrency(parseMoney('131.006'), 'USD')).toBe('$131.01');
    expect(formatCurrency(parseMoney('-5'), 'EUR')).toBe('-€5.00');
    expect(formatCurrency(parseMoney('12'), 'CHF')).toBe('12.00 CHF');
  });

  it('gives JSON numbers exact to 1e-10', () => {
    expect(moneyToNumber(parseMoney('40.3543773134'))).toBe(40.3543773134);
    expect(moneyToNumber(moneyFromNumber(120.5))).toBe(120.5);
  });

  it('scales with rounding, not truncation', () => {
    expect(formatMoneyExact(scaleMoney(parseMoney('10'), 1n, 3n))).toBe('3.333333333333333333');
    expect(formatMoneyExact(scaleMoney(parseMoney('20'), 1n, 3n))).toBe('6.666666666666666667');
  });
});
