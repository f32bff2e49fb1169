import { describe, expect, it } from 'vitest';
import { shareLabel } from '../../../src/report/format.js';

describe('shareLabel', () => {
  it('calls a negative share a credit, never "-65%"', () => {
    expect(shareLabel(-0.65)).toBe('credit');
    expect(shareLabel(0.004)).toBe('<1%');
    expect(shareLabel(0.5)).toBe('50%');
    expect(shareLabel(Number.NaN)).toBe('—');
  });
});
