import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { AwsCallError } from '../../../src/aws/aws-errors.js';
import type { IsoDate } from '../../../src/core/calendar.js';
import type { CostDataset, DailyCost } from '../../../src/core/cost-data.js';
import { parseMoney } from '../../../src/core/money.js';
import { type CostCache, costCacheKey, InMemoryCostCache } from '../../../src/sources/cost-cache.js';
import {
  CostExplorerSource,
  costExplorerHistoryStart,
  ESTIMATED_REFRESH_DAYS,
  isClosedDay,
  parseTagGroupKey,
  planCostQueries,
  tagActivationWarning,
} from '../../../src/sources/cost-explorer-source.js';
import {
  FakeCostExplorer,
  type GroupSpec,
  NOW,
  response,
  resultByTime,
  steadyCosts,
  summarize,
  TODAY,
  TOMORROW,
} from './cost-explorer-fixtures.js';

const ceMock = mockClient(CostExplorerClient);

function source(options: Partial<ConstructorParameters<typeof CostExplorerSource>[0]> = {}) {
  return new CostExplorerSource({
    client: new CostExplorerClient({ region: 'us-east-1' }),
    meter: new ApiMeter(),
    now: () => NOW,
    ...options,
  });
}

const NOVEMBER = { tagKey: 'poc', start: '2026-11-01', end: '2026-11-03' };

function sentInputs() {
  return ceMock.commandCalls(GetCostAndUsageCommand).map((call) => call.args[0].input);
}

describe('CostExplorerSource: reading responses', () => {
  beforeEach(() => ceMock.reset());

  it('turns the documented response shape into exact daily rows with one grouped query', async () => {
    ceMock.on(GetCostAndUsageCommand).resolves(
      response([
        resultByTime(
          '2026-11-01',
          [
            ['poc$checkout', 'AWS Lambda', '40.3543773134'],
            ['poc$checkout', 'Amazon Simple Storage Service', '0.0000023487'],
            ['poc$search', 'AWS Lambda', '2'],
            ['poc$', 'AWS Lambda', '7.1'],
          ],
          false,
        ),
        resultByTime('2026-11-02', [['poc$checkout', 'AWS Lambda', '1.25']], true),
      ]),
    );
    const cost = source({ accountId: '111122223333' });
    expect(cost.kind).toBe('cost-explorer');
    expect(cost.description).toContain('UnblendedCost');
    const dataset = await cost.load(NOVEMBER);
    expect(summarize(dataset.rows)).toEqual([
      '2026-11-01 checkout AWS Lambda 111122223333 40.3543773134',
      '2026-11-01 checkout Amazon Simple Storage Service 111122223333 0.0000023487',
      '2026-11-01 search AWS Lambda 111122223333 2',
      '2026-11-01 - AWS Lambda 111122223333 7.1',
      '2026-11-02 checkout AWS Lambda 111122223333 1.25 E',
    ]);
    expect(dataset.rows[0]?.cost).toBe(parseMoney('40.3543773134'));
    expect(dataset.currency).toBe('USD');
    expect(dataset.coverage).toEqual({ first: '2026-11-01', last: '2026-11-02' });
    expect(dataset.warnings).toEqual([]);
    expect(sentInputs()).toEqual([
      {
        TimePeriod: { Start: '2026-11-01', End: '2026-11-03' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'TAG', Key: 'poc' },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
      },
    ]);
  });

  it('makes one query whatever the number of PoCs', async () => {
    const groups = Array.from({ length: 200 }, (_, i): [string, string, string] => [
      `poc$poc-${i}`,
      'AWS Lambda',
      '1',
    ]);
    ceMock.on(GetCostAndUsageCommand).resolves(response([resultByTime('2026-11-01', groups, false)]));
    const dataset = await source().load(NOVEMBER);
    expect(new Set(dataset.rows.map((row) => row.poc)).size).toBe(200);
    expect(sentInputs()).toHaveLength(1);
  });

  it('parses tag group keys: "poc$" is untagged, only the first "$" separates', () => {
    expect(parseTagGroupKey('poc$checkout', 'poc')).toBe('checkout');
    expect(parseTagGroupKey('poc$', 'poc')).toBeNull();
    expect(parseTagGroupKey('poc$price$5', 'poc')).toBe('price$5');
    expect(parseTagGroupKey('poc$$', 'poc')).toBe('$');
    expect(parseTagGroupKey('cost-center$a$b', 'cost-center')).toBe('a$b');
    // A key from another tag spelling still splits at its first "$".
    expect(parseTagGroupKey('Poc$x$y', 'poc')).toBe('x$y');
  });

  it('keeps values containing "$" and the empty value apart in rows', async () => {
    ceMock.on(GetCostAndUsageCommand).resolves(
      response([
        resultByTime(
          '2026-11-01',
          [
            ['poc$a$b', 'AWS Lambda', '1'],
            ['poc$', 'AWS Lambda', '2'],
            ['poc$a', 'AWS Lambda', '3'],
          ],
          false,
        ),
      ]),
    );
    const dataset = await source().load(NOVEMBER);
    expect(dataset.rows.map((row) => row.poc)).toEqual(['a', 'a$b', null]);
  });

  it('follows NextPageToken until it is absent, with a day split across pages', async () => {
    ceMock
      .on(GetCostAndUsageCommand)
      .resolvesOnce(response([resultByTime('2026-11-01', [['poc$a', 'AWS Lambda', '1']], false)], 'page-2'))
      .resolvesOnce(
        response(
          [
            resultByTime('2026-11-01', [['poc$b', 'AWS Lambda', '2']], false),
            resultByTime('2026-11-02', [['poc$a', 'AWS Lambda', '3']], false),
          ],
          'page-3',
        ),
      )
      .resolvesOnce(response([resultByTime('2026-11-02', [['poc$b', 'AWS Lambda', '4']], false)]));
    const dataset = await source().load(NOVEMBER);
    expect(summarize(dataset.rows)).toEqual([
      '2026-11-01 a AWS Lambda - 1',
      '2026-11-01 b AWS Lambda - 2',
      '2026-11-02 a AWS Lambda - 3',
      '2026-11-02 b AWS Lambda - 4',
    ]);
    expect(sentInputs().map((input) => input.NextPageToken)).toEqual([undefined, 'page-2', 'page-3']);
    for (const input of sentInputs())
      expect(input.TimePeriod).toEqual({ Start: '2026-11-01', End: '2026-11-03' });
  });

  it('stops a pagination loop that repeats its token instead of paying forever', async () => {
    ceMock.on(GetCostAndUsageCommand).resolves(response([], 'same-token'));
    await expect(source().load(NOVEMBER)).rejects.toThrow(/pagination loop/);
    expect(sentInputs()).toHaveLength(2);
  });

  it('reads the configured metric', async () => {
    ceMock
      .on(GetCostAndUsageCommand)
      .resolves(
        response([
          resultByTime(
            '2026-11-01',
            [['poc$a', 'Amazon Relational Database Service', '9.5']],
            false,
            'AmortizedCost',
          ),
        ]),
      );
    const dataset = await source({ metric: 'AmortizedCost' }).load(NOVEMBER);
    expect(summarize(dataset.rows)).toEqual(['2026-11-01 a Amazon Relational Database Service - 9.5']);
    expect(sentInputs()[0]?.Metrics).toEqual(['AmortizedCost']);
    for (const metric of ['NetUnblendedCost', 'NetAmortizedCost'] as const) {
      expect(source({ metric }).description).toContain(metric);
    }
    // biome-ignore lint/suspicious/noExplicitAny: a metric a settings file could not produce.
    expect(() => source({ metric: 'BlendedCost' as any })).toThrow(/unsupported Cost Explorer metric/);
  });

  it('warns instead of counting zero when a group has no amount for the metric', async () => {
    ceMock
      .on(GetCostAndUsageCommand)
      .resolves(
        response([
          resultByTime('2026-11-01', [['poc$a', 'AWS Lambda', '1']], false, 'AmortizedCost'),
          resultByTime('2026-11-02', [['poc$a', 'AWS Lambda', 'n/a']], false),
        ]),
      );
    const dataset = await source().load(NOVEMBER);
    expect(dataset.rows).toEqual([]);
    expect(dataset.warnings).toEqual([
      expect.objectContaining({
        code: 'malformed-group',
        partial: true,
        message: expect.stringMatching(/^2 /),
      }),
    ]);
  });

  it('groups by linked account for management accounts, with the service "All services"', async () => {
    ceMock
      .on(GetCostAndUsageCommand)
      .resolves(
        response(
          [resultByTime('2026-11-01', [['poc$a', '444455556666', '3']], false)],
          undefined,
          'LINKED_ACCOUNT',
        ),
      );
    const dataset = await source({ groupByAccount: true, accountId: '111122223333' }).load(NOVEMBER);
    expect(summarize(dataset.rows)).toEqual(['2026-11-01 a All services 444455556666 3']);
    expect(sentInputs()[0]?.GroupBy).toEqual([
      { Type: 'TAG', Key: 'poc' },
      { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
    ]);
  });

  it('finds the tag among the keys from GroupDefinitions', async () => {
    const output = response([resultByTime('2026-11-01', [['AWS Lambda', 'poc$a', '3']], false)]);
    output.GroupDefinitions = [
      { Type: 'DIMENSION', Key: 'SERVICE' },
      { Type: 'TAG', Key: 'poc' },
    ];
    ceMock.on(GetCostAndUsageCommand).resolves(output);
    const dataset = await source().load(NOVEMBER);
    expect(summarize(dataset.rows)).toEqual(['2026-11-01 a AWS Lambda - 3']);
  });

  it('clamps the start to the 13 months plus current month Cost Explorer keeps, and the end to today', async () => {
    ceMock.on(GetCostAndUsageCommand).resolves(response([]));
    const dataset = await source().load({ tagKey: 'poc', start: '2024-06-01', end: '2027-01-01' });
    expect(costExplorerHistoryStart(TODAY)).toBe('2025-10-01');
    expect(costExplorerHistoryStart('2026-01-31')).toBe('2024-12-01');
    expect(sentInputs()[0]?.TimePeriod).toEqual({ Start: '2025-10-01', End: TOMORROW });
    expect(dataset.warnings).toEqual([
      expect.objectContaining({
        code: 'history-clamped',
        partial: true,
        message: expect.stringContaining('from 2024-06-01 to 2025-09-30'),
      }),
    ]);
  });

  it('does not warn about history when the query stays inside it, and makes no call for a future range', async () => {
    ceMock.on(GetCostAndUsageCommand).resolves(response([]));
    expect((await source().load({ tagKey: 'poc', start: '2025-10-01', end: '2025-11-01' })).warnings).toEqual(
      [],
    );
    const future = await source().load({ tagKey: 'poc', start: '2026-12-01', end: '2027-01-01' });
    expect(future).toEqual({ rows: [], warnings: [], apiCalls: {} });
    expect(sentInputs()).toHaveLength(1);
  });

  it('explains errors with the IAM action instead of a stack trace', async () => {
    ceMock.on(GetCostAndUsageCommand).rejects(
      Object.assign(
        new Error(
          'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: ce:GetCostAndUsage',
        ),
        {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400, attempts: 1 },
        },
      ),
    );
    const failure = await source()
      .load(NOVEMBER)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsCallError);
    expect((failure as AwsCallError).message).toMatch(
      /^missing IAM permission ce:GetCostAndUsage \(AccessDeniedException: /,
    );
    expect((failure as AwsCallError).message).not.toMatch(/\n\s+at /);
    expect((failure as AwsCallError).code).toBe('AccessDeniedException');
  });

  it('translates Cost Explorer data errors', async () => {
    ceMock
      .on(GetCostAndUsageCommand)
      .rejects(Object.assign(new Error('Data is not available'), { name: 'DataUnavailableException' }));
    await expect(source().load(NOVEMBER)).rejects.toThrow(
      /no data for the requested period yet \(DataUnavailableException\)/,
    );
  });
});

describe('CostExplorerSource: caching closed days', () => {
  /** November (the current month) is estimated, everything before it final, as Cost Explorer reports. */
  const novemberEstimated = (day: IsoDate) => day >= '2026-11-01';

  it('fetches only the open days on a second run, reusing estimated days for two weeks', async () => {
    const ce = new FakeCostExplorer(steadyCosts, novemberEstimated);
    const cache = new InMemoryCostCache();
    const query = { tagKey: 'poc', start: '2026-09-01', end: '2026-12-01' };
    const first = await ce.source({ cache }).load(query);
    expect(ce.periods()).toEqual([`2026-09-01..${TOMORROW}`]);
    const key = costCacheKey({ tagKey: 'poc', metric: 'UnblendedCost', grouping: 'service', account: '' });
    const cachedDays = cache.cachedDays(key);
    expect(cachedDays[0]).toBe('2026-09-01');
    // November is estimated: kept with the day it was fetched, apart from the open last days.
    expect(cachedDays.at(-1)).toBe('2026-11-21');

    const second = await ce.source({ cache }).load(query);
    expect(ce.periods()).toEqual([`2026-09-01..${TOMORROW}`, `2026-11-22..${TOMORROW}`]);
    expect(summarize(second.rows)).toEqual(summarize(first.rows));
    expect(second.rows.filter((row) => row.date >= '2026-11-01').every((row) => row.estimated)).toBe(true);
    expect(second.currency).toBe('USD');
  });

  it('checks settled estimated days weekly with one tag-only query, re-reading only days that changed', async () => {
    let corrected = false;
    const costs = (day: IsoDate): GroupSpec[] =>
      corrected && day === '2026-11-10'
        ? [
            ['poc$checkout', 'AWS Lambda', '9'],
            ['poc$', 'Amazon Elastic Compute Cloud - Compute', '0.5'],
          ]
        : steadyCosts(day);
    const ce = new FakeCostExplorer(costs, novemberEstimated);
    const cache = new InMemoryCostCache();
    const query = { tagKey: 'poc', start: '2026-11-01', end: '2026-12-01' };
    await ce.source({ cache }).load(query);
    corrected = true;
    const weekLater = new Date(NOW.getTime() + ESTIMATED_REFRESH_DAYS * 86_400_000);
    const dataset = await ce.source({ cache, now: () => weekLater }).load(query);

    const inputs = ce.mock.commandCalls(GetCostAndUsageCommand).map((call) => call.args[0].input);
    expect(inputs[1]?.GroupBy).toEqual([{ Type: 'TAG', Key: 'poc' }]);
    expect(ce.periods()).toEqual([
      `2026-11-01..${TOMORROW}`,
      '2026-11-01..2026-11-22',
      '2026-11-10..2026-11-11',
      '2026-11-22..2026-12-01',
    ]);
    expect(summarize(dataset.rows.filter((row) => row.date === '2026-11-10'))).toContain(
      '2026-11-10 checkout AWS Lambda - 9 E',
    );
    // Checked days count as fresh again: the next day makes no check.
    const dayAfter = new Date(weekLater.getTime() + 86_400_000);
    await ce.source({ cache, now: () => dayAfter }).load(query);
    expect(ce.periods()).toHaveLength(5);
  });

  it('makes zero calls when every day is closed and cached', async () => {
    const ce = new FakeCostExplorer(steadyCosts, novemberEstimated);
    const cache = new InMemoryCostCache();
    const query = { tagKey: 'poc', start: '2026-09-01', end: '2026-10-01' };
    const first = await ce.source({ cache }).load(query);
    expect(ce.periods()).toHaveLength(1);
    const second = await ce.source({ cache }).load(query);
    expect(ce.periods()).toHaveLength(1);
    expect(second.apiCalls).toEqual({});
    expect(second.rows).toEqual(first.rows);
    expect(second.rows.every((row) => !row.estimated)).toBe(true);
    expect(second.currency).toBe('USD');
    expect(second.coverage).toEqual({ first: '2026-09-01', last: '2026-09-30' });
  });

  it('re-fetches the last three days even when Cost Explorer calls them final', async () => {
    const ce = new FakeCostExplorer(steadyCosts, () => false);
    const cache = new InMemoryCostCache();
    const query = { tagKey: 'poc', start: '2026-11-01', end: '2026-12-01' };
    await ce.source({ cache }).load(query);
    await ce.source({ cache }).load(query);
    expect(ce.periods()).toEqual([`2026-11-01..${TOMORROW}`, `2026-11-22..${TOMORROW}`]);
    expect(isClosedDay('2026-11-21', false, TODAY)).toBe(true);
    expect(isClosedDay('2026-11-22', false, TODAY)).toBe(false);
    expect(isClosedDay('2026-10-01', true, TODAY)).toBe(false);
  });

  it('adds at most one query for older days a lifetime budget needs', async () => {
    const ce = new FakeCostExplorer(steadyCosts, () => false);
    const cache = new InMemoryCostCache();
    await ce.source({ cache }).load({ tagKey: 'poc', start: '2026-10-01', end: '2026-12-01' });
    const lifetime = { tagKey: 'poc', start: '2026-03-15', end: '2026-12-01' };
    const dataset = await ce.source({ cache }).load(lifetime);
    expect(ce.periods()).toEqual([
      `2026-10-01..${TOMORROW}`,
      '2026-03-15..2026-10-01',
      `2026-11-22..${TOMORROW}`,
    ]);
    expect(dataset.coverage).toEqual({ first: '2026-03-15', last: TODAY });
    expect(dataset.rows).toHaveLength(2 * 256);
    // Afterwards the whole lifetime is cached apart from the open days.
    await ce.source({ cache }).load(lifetime);
    expect(ce.periods().at(-1)).toBe(`2026-11-22..${TOMORROW}`);
    expect(ce.periods()).toHaveLength(4);
  });

  it('keeps cached days beyond Cost Explorer history without a clamp warning', async () => {
    const ce = new FakeCostExplorer(steadyCosts, () => false);
    const cache = new InMemoryCostCache();
    const key = costCacheKey({ tagKey: 'poc', metric: 'UnblendedCost', grouping: 'service', account: '' });
    const old: DailyCost = {
      date: '2025-09-30',
      poc: 'legacy',
      service: 'AWS Lambda',
      account: '',
      cost: parseMoney('5'),
      estimated: false,
    };
    await cache.put(key, ['2025-09-30'], [old], 'USD');
    const dataset = await ce
      .source({ cache })
      .load({ tagKey: 'poc', start: '2025-09-30', end: '2025-10-02' });
    expect(dataset.warnings).toEqual([]);
    expect(ce.periods()).toEqual(['2025-10-01..2025-10-02']);
    expect(summarize(dataset.rows)[0]).toBe('2025-09-30 legacy AWS Lambda - 5');
  });

  it('scopes the cache by tag key, metric, grouping and account', async () => {
    const ce = new FakeCostExplorer(steadyCosts, () => false);
    const cache = new InMemoryCostCache();
    const query = { tagKey: 'poc', start: '2026-09-01', end: '2026-09-03' };
    await ce.source({ cache }).load(query);
    await ce.source({ cache, metric: 'AmortizedCost' }).load(query);
    await ce.source({ cache, accountId: '111122223333' }).load(query);
    await ce.source({ cache, groupByAccount: true }).load(query);
    await ce.source({ cache }).load({ ...query, tagKey: 'project' });
    await ce.source({ cache }).load(query);
    expect(ce.periods()).toHaveLength(5);
  });

  it('still returns the data when the cache fails', async () => {
    const ce = new FakeCostExplorer(steadyCosts, () => false);
    const broken: CostCache = {
      get: () => Promise.reject(new Error('disk on fire')),
      put: () => Promise.reject(new Error('disk still on fire')),
    };
    const dataset = await ce
      .source({ cache: broken })
      .load({ tagKey: 'poc', start: '2026-09-01', end: '2026-09-03' });
    expect(dataset.rows).toHaveLength(4);
    expect(dataset.warnings.map((warning) => warning.code)).toEqual([
      'cost-cache-unavailable',
      'cost-cache-unavailable',
    ]);
  });
});

describe('planCostQueries', () => {
  const days = (start: IsoDate, count: number) =>
    Array.from({ length: count }, (_, i) =>
      new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    );

  it('plans nothing when nothing is missing', () => {
    expect(planCostQueries([], '2026-11-26')).toEqual([]);
  });

  it('plans one query for a missing tail', () => {
    expect(planCostQueries(days('2026-11-22', 4), '2026-11-26')).toEqual([
      { start: '2026-11-22', end: '2026-11-26' },
    ]);
  });

  it('plans one query per run of missing days', () => {
    expect(planCostQueries(['2026-01-01', '2026-02-01', '2026-03-01'], '2026-06-01')).toEqual([
      { start: '2026-01-01', end: '2026-01-02' },
      { start: '2026-02-01', end: '2026-02-02' },
      { start: '2026-03-01', end: '2026-03-02' },
    ]);
  });

  it('plans two queries for a lifetime backfill and the recent tail', () => {
    const missing = [...days('2026-03-01', 10), ...days('2026-11-22', 4)];
    expect(planCostQueries(missing, '2026-11-26')).toEqual([
      { start: '2026-03-01', end: '2026-03-11' },
      { start: '2026-11-22', end: '2026-11-26' },
    ]);
  });

  it('joins runs at most two cached days apart, since a second query costs a page too', () => {
    expect(planCostQueries([...days('2026-11-01', 10), ...days('2026-11-13', 8)], '2026-11-26')).toEqual([
      { start: '2026-11-01', end: '2026-11-21' },
    ]);
    expect(planCostQueries([...days('2026-11-01', 10), ...days('2026-11-14', 8)], '2026-11-26')).toHaveLength(
      2,
    );
  });
});

describe('tagActivationWarning', () => {
  const row = (poc: string | null, cost = '1'): DailyCost => ({
    date: '2026-11-01',
    poc,
    service: 'AWS Lambda',
    account: '',
    cost: parseMoney(cost),
    estimated: false,
  });
  const dataset = (rows: DailyCost[]): CostDataset => ({ rows, warnings: [], apiCalls: {} });

  it('warns when every cost is untagged although resources carry the tag', () => {
    const warning = tagActivationWarning(dataset([row(null), row(null, '2')]), 12, 'poc', NOW);
    expect(warning?.code).toBe('tag-not-activated');
    expect(warning?.message).toContain('12 resource(s) carry the tag "poc"');
    expect(warning?.message).toContain('Cost allocation tags');
    expect(warning?.message).toContain(
      'aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=poc,Status=Active',
    );
    expect(warning?.message).toContain(
      'aws ce start-cost-allocation-tag-backfill --backfill-from 2025-12-01T00:00:00Z',
    );
    expect(warning?.message).toContain('24 hours');
  });

  it('stays quiet when some cost is attributed, no resource is tagged, or there is no cost', () => {
    expect(tagActivationWarning(dataset([row(null), row('a')]), 12, 'poc', NOW)).toBeUndefined();
    expect(tagActivationWarning(dataset([row(null)]), 0, 'poc', NOW)).toBeUndefined();
    expect(tagActivationWarning(dataset([]), 5, 'poc', NOW)).toBeUndefined();
    expect(tagActivationWarning(dataset([row('a', '0'), row(null, '0')]), 5, 'poc', NOW)).toBeUndefined();
  });
});
