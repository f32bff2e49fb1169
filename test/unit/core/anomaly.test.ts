import { describe, expect, it } from 'vitest';
import { findSpikes, medianMoney } from '../../../src/core/anomaly.js';
import { eachDay } from '../../../src/core/calendar.js';
import { indexCosts } from '../../../src/core/cost-index.js';
import { $, daily } from './builders.js';

const settings = { baselineDays: 14, minBaselineDays: 5, factor: 3, minIncrease: $('5') };
const november = eachDay('2026-11-01', '2026-11-19');

describe('findSpikes', () => {
  it('flags a day far above the median of the 14 days before it', () => {
    const rows = daily('p', '2026-10-01', '2026-11-19', (d) => (d === '2026-11-17' ? '26' : '2'));
    const spikes = findSpikes(indexCosts(rows).series.get('p'), november, settings);
    expect(spikes).toEqual([{ date: '2026-11-17', cost: $('26'), baselineMedian: $('2'), baselineDays: 14 }]);
  });

  it('ignores a tripling that stays under the absolute floor', () => {
    const rows = daily('p', '2026-10-01', '2026-11-19', (d) => (d === '2026-11-17' ? '0.9' : '0.2'));
    expect(findSpikes(indexCosts(rows).series.get('p'), november, settings)).toEqual([]);
  });

  it('does not judge a PoC younger than the minimum baseline', () => {
    const rows = daily('p', '2026-11-14', '2026-11-19', (d) => (d === '2026-11-18' ? '40' : '1'));
    expect(findSpikes(indexCosts(rows).series.get('p'), november, settings)).toEqual([]);
  });

  it('counts days without rows inside the baseline as zero', () => {
    const rows = [
      ...daily('p', '2026-10-20', '2026-10-26', '1'),
      ...daily('p', '2026-11-10', '2026-11-11', '30'),
    ];
    const spikes = findSpikes(indexCosts(rows).series.get('p'), november, settings);
    expect(spikes.map((s) => [s.date, s.baselineMedian])).toEqual([['2026-11-10', $('0')]]);
  });
});

describe('medianMoney', () => {
  it('averages the middle pair for even counts', () => {
    expect(medianMoney([$('1'), $('4'), $('2'), $('3')])).toBe($('2.5'));
    expect(medianMoney([])).toBe($('0'));
  });
});
