import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import { sparkline } from '../../../src/report/sparkline.js';

const m = (...values: string[]) => values.map(parseMoney);

describe('sparkline', () => {
  it('is empty for no values', () => {
    expect(sparkline([])).toBe('');
  });

  it('draws every level from zero to the maximum', () => {
    expect(sparkline(m('0', '1', '2', '3', '4', '5', '6', '7'))).toBe('▁▂▃▄▅▆▇█');
  });

  it('shows all zeros as the lowest level', () => {
    expect(sparkline(m('0', '0', '0'))).toBe('▁▁▁');
  });

  it('shows a single value: full when positive, lowest when zero', () => {
    expect(sparkline(m('12.5'))).toBe('█');
    expect(sparkline(m('0'))).toBe('▁');
  });

  it('measures from zero, so a steady cost is a full line, not noise', () => {
    expect(sparkline(m('3', '3', '3'))).toBe('███');
    expect(sparkline(m('10', '9.9', '10'))).toBe('███');
  });

  it('puts a credit day below zero days', () => {
    // Scale from -5 to 5: the credit is lowest, zero sits in the middle.
    expect(sparkline(m('-5', '0', '5'))).toBe('▁▅█');
    expect(sparkline(m('1.42', '-3.50', '1.60', '0'))).toBe('█▁█▆');
  });

  it('handles an all-credit series', () => {
    expect(sparkline(m('-2', '-1', '0'))).toBe('▁▅█');
  });

  it('has one character per value, whatever the magnitude', () => {
    const values = m('0.0000023487', '40.3543773134', '1000000000');
    expect(sparkline(values)).toHaveLength(3);
    expect(sparkline(values)).toBe('▁▁█');
  });
});
