import { describe, expect, it } from 'vitest';
import { periodFor } from '../../../src/core/period.js';

describe('periodFor', () => {
  it('reports the month containing the day before as-of, up to as-of', () => {
    expect(periodFor('2026-11-19')).toEqual({
      start: '2026-11-01',
      end: '2026-11-19',
      monthEnd: '2026-12-01',
      elapsedDays: 18,
      monthDays: 30,
    });
  });

  it('reports the whole previous month on the first of a month', () => {
    expect(periodFor('2026-12-01')).toMatchObject({
      start: '2026-11-01',
      end: '2026-12-01',
      elapsedDays: 30,
    });
    expect(periodFor('2027-01-01')).toMatchObject({ start: '2026-12-01', monthEnd: '2027-01-01' });
  });

  it('knows leap years', () => {
    expect(periodFor('2028-03-01')).toMatchObject({ start: '2028-02-01', monthDays: 29, elapsedDays: 29 });
    expect(periodFor('2027-02-15')).toMatchObject({ monthDays: 28, elapsedDays: 14 });
  });
});
