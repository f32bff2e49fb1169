import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DailyCost } from '../../../src/core/cost-data.js';
import { parseMoney } from '../../../src/core/money.js';
import { type CostCache, costCacheKey, InMemoryCostCache } from '../../../src/sources/cost-cache.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { StateStoreError } from '../../../src/state/state-store.js';
import { FakeCostExplorer, steadyCosts, summarize } from './cost-explorer-fixtures.js';

const KEY = costCacheKey({
  tagKey: 'poc',
  metric: 'UnblendedCost',
  grouping: 'service',
  account: '111122223333',
});

function row(date: string, poc: string | null, cost: string, service = 'AWS Lambda'): DailyCost {
  return { date, poc, service, account: '111122223333', cost: parseMoney(cost), estimated: false };
}

async function tempPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'pocketwatch-cost-cache-')), 'state.json');
}

const caches: Array<[string, () => Promise<CostCache>]> = [
  ['InMemoryCostCache', async () => new InMemoryCostCache()],
  ['LocalStateStore', async () => new LocalStateStore(await tempPath())],
];

describe.each(caches)('%s as a CostCache', (_name, create) => {
  it('returns the cached days of a range, including days without cost', async () => {
    const cache = await create();
    await cache.put(
      KEY,
      ['2026-10-01', '2026-10-02', '2026-10-03'],
      [
        row('2026-10-01', 'a', '40.3543773134'),
        row('2026-10-01', null, '0.0000023487'),
        row('2026-10-03', 'a$b', '1'),
      ],
      'USD',
    );
    const got = await cache.get(KEY, '2026-10-02', '2026-10-04');
    expect([...got.days].sort()).toEqual(['2026-10-02', '2026-10-03']);
    expect(summarize(got.rows)).toEqual(['2026-10-03 a$b AWS Lambda 111122223333 1']);
    expect(got.currency).toBe('USD');
    const all = await cache.get(KEY, '2026-01-01', '2027-01-01');
    expect(all.rows.map((cached) => cached.cost)).toContain(parseMoney('0.0000023487'));
    expect(all.rows.find((cached) => cached.poc === null)?.cost).toBe(parseMoney('0.0000023487'));
  });

  it('replaces the days put again, ignores rows outside the days put, and keeps keys apart', async () => {
    const cache = await create();
    await cache.put(KEY, ['2026-10-01'], [row('2026-10-01', 'a', '1'), row('2026-10-01', 'b', '2')]);
    await cache.put(KEY, ['2026-10-01'], [row('2026-10-01', 'a', '3'), row('2026-10-05', 'a', '9')]);
    const got = await cache.get(KEY, '2026-10-01', '2026-11-01');
    expect(summarize(got.rows)).toEqual(['2026-10-01 a AWS Lambda 111122223333 3']);
    expect([...got.days]).toEqual(['2026-10-01']);
    expect((await cache.get(`${KEY}-other`, '2026-10-01', '2026-11-01')).days.size).toBe(0);
  });
});

describe('LocalStateStore cost cache file', () => {
  it('loads a version 1 file, keeps its deliveries and writes version 2', async () => {
    const path = await tempPath();
    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        deliveries: { a: { channel: 'sns', deliveredAt: '2026-11-01T06:00:00Z' } },
      }),
    );
    const store = new LocalStateStore(path);
    expect((await store.get(KEY, '2026-01-01', '2027-01-01')).days.size).toBe(0);
    await store.put(KEY, ['2026-10-01'], [row('2026-10-01', 'a', '1.5')], 'USD');
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.version).toBe(2);
    expect(saved.deliveries.a.channel).toBe('sns');
    expect(saved.costCache[KEY]).toEqual({
      currency: 'USD',
      days: { '2026-10-01': [['a', 'AWS Lambda', '111122223333', '1.5']] },
    });
    expect(await store.deliveredAlertIds(['a', 'b'])).toEqual(new Set(['a']));
  });

  it('writes one line per cached day', async () => {
    const path = await tempPath();
    const store = new LocalStateStore(path);
    await store.recordDeliveries([{ alertId: 'x', channel: 'sns', deliveredAt: '2026-11-01T06:00:00Z' }]);
    await store.put(
      KEY,
      ['2026-10-01', '2026-10-02'],
      [row('2026-10-01', 'a', '1'), row('2026-10-01', null, '2')],
    );
    const text = await readFile(path, 'utf8');
    expect(text).toContain(
      '"2026-10-01": [["a","AWS Lambda","111122223333","1"],[null,"AWS Lambda","111122223333","2"]]',
    );
    expect(text).toContain('"2026-10-02": []');
    expect(JSON.parse(text).deliveries.x.channel).toBe('sns');
  });

  it('skips a damaged cache day (a re-fetch) but refuses a file from a newer version', async () => {
    const path = await tempPath();
    await writeFile(
      path,
      JSON.stringify({
        version: 2,
        deliveries: {},
        costCache: { [KEY]: { days: { '2026-10-01': [['a', 'AWS Lambda', '', 'abc']], '2026-10-02': [] } } },
      }),
    );
    const store = new LocalStateStore(path);
    expect([...(await store.get(KEY, '2026-10-01', '2026-11-01')).days]).toEqual(['2026-10-02']);
    await writeFile(path, JSON.stringify({ version: 3, deliveries: {} }));
    await expect(store.get(KEY, '2026-10-01', '2026-11-01')).rejects.toThrow(StateStoreError);
    await expect(store.get(KEY, '2026-10-01', '2026-11-01')).rejects.toThrow(/newer pocketwatch/);
  });

  it('serialises concurrent cache writers without losing a day', async () => {
    const path = await tempPath();
    const days = Array.from({ length: 10 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
    await Promise.all(days.map((day) => new LocalStateStore(path).put(KEY, [day], [row(day, 'a', '1')])));
    expect((await new LocalStateStore(path).get(KEY, '2026-10-01', '2026-11-01')).days.size).toBe(10);
  });

  it('lets a second run of the source make no calls, across store instances', async () => {
    const path = await tempPath();
    const ce = new FakeCostExplorer(steadyCosts, () => false);
    const query = { tagKey: 'poc', start: '2026-09-01', end: '2026-10-01' };
    const first = await ce.source({ cache: new LocalStateStore(path) }).load(query);
    const second = await ce.source({ cache: new LocalStateStore(path) }).load(query);
    expect(ce.periods()).toHaveLength(1);
    expect(second.rows).toEqual(first.rows);
    expect(second.currency).toBe('USD');
  });
});
