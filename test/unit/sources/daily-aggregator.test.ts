import { describe, expect, it } from 'vitest';
import { DailyAggregator } from '../../../src/sources/daily-aggregator.js';
import { AmountParts, parseAmountFast, partsToMoney } from '../../../src/sources/exact-amount.js';

function parts(text: string): AmountParts {
  const out = new AmountParts();
  const buf = Buffer.from(text);
  if (!parseAmountFast(buf, 0, buf.length, out)) throw new Error(text);
  return out;
}

function totals(aggregator: DailyAggregator): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (let g = 0; g < aggregator.size; g++) {
    const key = [aggregator.day(g), aggregator.poc(g), aggregator.service(g), aggregator.account(g)].join(
      '/',
    );
    out.set(key, aggregator.total(g));
  }
  return out;
}

describe('DailyAggregator', () => {
  it('keeps one exact sum per key, mixing fast and exact additions', () => {
    const aggregator = new DailyAggregator();
    const amounts = ['0.000000000000000001', '999999999.999999999999999999', '-0.5', '12.3456789012'];
    let expected = 0n;
    for (let i = 0; i < 10_000; i++) {
      const text = amounts[i % amounts.length] as string;
      aggregator.addParts(aggregator.group(19_000, 1, 2, 3), parts(text));
      expected += partsToMoney(parts(text));
    }
    aggregator.addMoney(aggregator.group(19_000, 1, 2, 3), 7n);
    aggregator.addParts(aggregator.group(19_000, -1, 2, 3), parts('1'));
    expect(aggregator.size).toBe(2);
    expect(totals(aggregator)).toEqual(
      new Map([
        ['19000/1/2/3', expected + 7n],
        ['19000/-1/2/3', 10n ** 18n],
      ]),
    );
  });

  it('stays exact past the point where doubles would round (many large additions)', () => {
    const aggregator = new DailyAggregator();
    const big = parts('999999999.999999999999999999');
    const g = aggregator.group(1, 0, 0, 0);
    const n = 9_000_000;
    for (let i = 0; i < n; i++) aggregator.addParts(g, big);
    expect(totals(aggregator).get('1/0/0/0')).toBe(partsToMoney(big) * BigInt(n));
  });

  it('grows past its initial table without losing groups', () => {
    const aggregator = new DailyAggregator();
    const one = parts('1');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 50_000; i++)
        aggregator.addParts(aggregator.group(i % 60, i % 200, i % 7, i % 5), one);
    }
    const all = totals(aggregator);
    expect(aggregator.size).toBe(all.size);
    let sum = 0n;
    for (const total of all.values()) sum += total;
    expect(sum).toBe(100_000n * 10n ** 18n);
  });
});
