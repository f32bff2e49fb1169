import { describe, expect, it } from 'vitest';
import { usageBar } from '../../../src/report/usage-bar.js';

describe('usageBar', () => {
  it('fills a share of ten cells with the percentage after it', () => {
    expect(usageBar(0.72)).toBe('███████░░░ 72%');
    expect(usageBar(0.5)).toBe('█████░░░░░ 50%');
  });

  it('is empty at zero and full at exactly the budget, without an overrun marker', () => {
    expect(usageBar(0)).toBe('░░░░░░░░░░ 0%');
    expect(usageBar(1)).toBe('██████████ 100%');
  });

  it('marks an overrun', () => {
    expect(usageBar(1.31)).toBe('██████████▶ 131%');
    expect(usageBar(12.5)).toBe('██████████▶ 1250%');
  });

  it('never shows "none" for some spend or "all" short of the budget', () => {
    expect(usageBar(0.004)).toBe('█░░░░░░░░░ 0%');
    expect(usageBar(0.999)).toBe('█████████░ 99%');
  });

  it('shows credits that exceed spend as an empty bar with the negative percentage', () => {
    expect(usageBar(-0.1)).toBe('░░░░░░░░░░ -10%');
  });

  it('copes with a zero budget (infinite use) and no value', () => {
    expect(usageBar(Number.POSITIVE_INFINITY)).toBe('██████████▶ ∞%');
    expect(usageBar(Number.NaN)).toBe('░░░░░░░░░░ —');
  });

  it('takes a width', () => {
    expect(usageBar(0.6, { width: 5 })).toBe('███░░ 60%');
    expect(usageBar(2, { width: 5 })).toBe('█████▶ 200%');
  });
});
