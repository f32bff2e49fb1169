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

describe('day arithmetic', () => {
  it('crosses months, years and leap days in UTC', async () => {
    const { addDaysIso, daysBetween, eachDay } = await import('../../../src/core/calendar.js');
    expect(addDaysIso('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysIso('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysIso('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-11-19', '2026-11-01')).toBe(-18);
    expect(eachDay('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01']);
    expect(eachDay('2026-11-02', '2026-11-02')).toEqual([]);
  });
});
