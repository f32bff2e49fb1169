import { describe, expect, it } from 'vitest';
import { indexCosts } from '../../../src/core/cost-index.js';
import { forecastMonthEnd, projectedCrossing } from '../../../src/core/forecast.js';
import { formatMoneyExact } from '../../../src/core/money.js';
import { periodFor } from '../../../src/core/period.js';
import { $, daily } from './builders.js';

const period = periodFor('2026-11-19'); // 18 days reported, 12 left

describe('forecastMonthEnd', () => {
  it('extrapolates the trailing 7-day average over the days left', () => {
    const series = indexCosts(daily('a', '2026-10-01', '2026-11-19', '2')).series.get('a');
    const forecast = forecastMonthEnd(series, period, $('36'), { trailingDays: 7 });
    expect(forecast.method).toBe('trailing-average');
    expect(forecast.days).toBe(7);
    expect(formatMoneyExact(forecast.monthEnd)).toBe('60');
  });

  it('works for a PoC that is two days old, from those two days only', () => {
    const series = indexCosts(daily('young', '2026-11-17', '2026-11-19', '1.5')).series.get('young');
    const forecast = forecastMonthEnd(series, period, $('3'), { trailingDays: 7, start: '2026-11-17' });
    expect(forecast.days).toBe(2);
    expect(formatMoneyExact(forecast.dailyRate)).toBe('1.5');
    expect(formatMoneyExact(forecast.monthEnd)).toBe('21');
  });

  it('leaves out spike days so one spike does not become the rate', () => {
    const rows = daily('s', '2026-11-01', '2026-11-19', (d) => (d === '2026-11-17' ? '50' : '1'));
    const series = indexCosts(rows).series.get('s');
    const forecast = forecastMonthEnd(series, period, $('67'), {
      trailingDays: 7,
      excludedDays: new Set(['2026-11-17']),
    });
    expect(forecast.days).toBe(6);
    expect(formatMoneyExact(forecast.monthEnd)).toBe('79');
  });

  it('is the month-to-date when the month is complete', () => {
    const series = indexCosts(daily('a', '2026-11-01', '2026-12-01', '1')).series.get('a');
    const forecast = forecastMonthEnd(series, periodFor('2026-12-01'), $('30'), { trailingDays: 7 });
    expect(forecast).toMatchObject({ method: 'complete', monthEnd: $('30') });
  });

  it('says so when there is no data', () => {
    expect(forecastMonthEnd(undefined, period, $('0'), { trailingDays: 7 }).method).toBe('no-data');
  });
});

describe('projectedCrossing', () => {
  it('finds the day cumulative spend passes the budget', () => {
    // 90 spent by the 18th at 5/day: 95 on the 19th, 100 on the 20th, 105 on the 21st.
    expect(projectedCrossing(period, $('90'), $('5'), $('100'))).toBe('2026-11-20');
    expect(projectedCrossing(period, $('90'), $('5'), $('101'))).toBe('2026-11-21');
    expect(projectedCrossing(period, $('10'), $('1'), $('100'))).toBeUndefined();
  });
});
