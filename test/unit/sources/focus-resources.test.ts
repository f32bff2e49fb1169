import { describe, expect, it } from 'vitest';
import type { ResourceUsage } from '../../../src/core/cost-data.js';
import { formatMoneyExact } from '../../../src/core/money.js';
import { readFocusExport } from '../../../src/sources/focus-source.js';
import { summarize, tempDir, WIDE_QUERY, writeFile } from './focus-fixtures.js';

const dir = tempDir();

const COLUMNS = [
  'ChargePeriodStart',
  'BilledCost',
  'ServiceName',
  'SubAccountId',
  'Tags',
  'ChargeCategory',
  'ResourceId',
  'ResourceType',
  'RegionId',
  'ConsumedUnit',
  'x_UsageType',
] as const;

type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

const NAT = 'arn:aws:ec2:us-east-1:111111111111:natgateway/nat-1';
const DEFAULTS: Row = {
  ChargePeriodStart: '2024-09-18T01:00:00Z',
  BilledCost: '0.045',
  ServiceName: 'Amazon Virtual Private Cloud',
  SubAccountId: '111111111111',
  Tags: '{"user:poc":"alpha","user:pocketwatch:protect":"true"}',
  ChargeCategory: 'Usage',
  ResourceId: NAT,
  ResourceType: 'NAT Gateway',
  RegionId: 'us-east-1',
  ConsumedUnit: 'Hrs',
  x_UsageType: 'USE1-NatGateway-Hours',
};

function csv(rows: Row[], columns: readonly string[] = COLUMNS): string {
  const field = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = rows.map((row) => {
    const merged: Record<string, string | undefined> = { ...DEFAULTS, ...row };
    return columns.map((column) => field(merged[column] ?? '')).join(',');
  });
  return `${[columns.join(','), ...lines].join('\n')}\n`;
}

const ROWS: Row[] = [
  { ChargePeriodStart: '2024-09-18T01:00:00Z' },
  { ChargePeriodStart: '2024-09-18T02:00:00Z' },
  { x_UsageType: 'USE1-NatGateway-Bytes', ConsumedUnit: 'GB', BilledCost: '0.0000000000001' },
  { ChargePeriodStart: '2024-09-19 05:00:00', Tags: '{"user:poc":"alpha"}' },
  // Amounts the fast path does not take still sum exactly.
  { ChargePeriodStart: '2024-09-19 06:00:00', BilledCost: '4.5E-2' },
  // A credit is not use, nor time: left out of the resource's charges (not out of the totals).
  { ChargeCategory: 'Credit', BilledCost: '-1' },
  // No resource id: only in the totals.
  { ResourceId: 'NULL', BilledCost: '3' },
  { ResourceId: '', BilledCost: '3' },
  {
    ResourceId: 'eipalloc-0abc',
    ResourceType: 'NULL',
    ServiceName: 'Amazon Elastic Compute Cloud',
    x_UsageType: 'USE1-PublicIPv4:IdleAddress',
    BilledCost: '0.005',
    Tags: 'NULL',
  },
];

function plain(usages: readonly ResourceUsage[] | undefined) {
  return usages?.map((usage) => ({
    ...usage,
    days: usage.days.map((day) => [
      day.date,
      formatMoneyExact(day.time),
      formatMoneyExact(day.usage),
      formatMoneyExact(day.idleTime),
    ]),
  }));
}

describe('FOCUS reader: per-resource charges', () => {
  const path = writeFile(dir, 'resources.csv', csv(ROWS));

  it('are not collected unless asked for, and change no daily cost', async () => {
    const without = await readFocusExport(path, WIDE_QUERY);
    expect(without.resources).toBeUndefined();
    const withResources = await readFocusExport(path, WIDE_QUERY, { resources: {} });
    expect(summarize(withResources.rows)).toEqual(summarize(without.rows));
    expect(withResources.warnings).toEqual([]);
  });

  it('split each resource-day into time, usage and idle-time charges', async () => {
    const dataset = await readFocusExport(path, WIDE_QUERY, {
      resources: { tagKeys: ['pocketwatch:protect'] },
    });
    expect(plain(dataset.resources)).toEqual([
      {
        resourceId: NAT,
        resourceType: 'NAT Gateway',
        service: 'Amazon Virtual Private Cloud',
        region: 'us-east-1',
        account: '111111111111',
        poc: 'alpha',
        // The latest day's tags: the protection tag was removed on the 19th.
        tags: {},
        usageTypes: ['USE1-NatGateway-Bytes', 'USE1-NatGateway-Hours'],
        days: [
          ['2024-09-18', '0.09', '0.0000000000001', '0'],
          ['2024-09-19', '0.09', '0', '0'],
        ],
      },
      {
        resourceId: 'eipalloc-0abc',
        resourceType: '',
        service: 'Amazon Elastic Compute Cloud',
        region: 'us-east-1',
        account: '111111111111',
        poc: null,
        tags: {},
        usageTypes: ['USE1-PublicIPv4:IdleAddress'],
        days: [['2024-09-18', '0', '0', '0.005']],
      },
    ]);
  });

  it('copies the extra tag keys asked for, with or without user:', async () => {
    const tagged = writeFile(
      dir,
      'tagged.csv',
      csv([{}, { Tags: '{"poc":"alpha","pocketwatch:protect":"TRUE"}', ResourceId: 'x' }]),
    );
    const dataset = await readFocusExport(tagged, WIDE_QUERY, {
      resources: { tagKeys: ['pocketwatch:protect'] },
    });
    expect(dataset.resources?.map((usage) => [usage.resourceId, usage.tags])).toEqual([
      [NAT, { 'pocketwatch:protect': 'true' }],
      ['x', { 'pocketwatch:protect': 'TRUE' }],
    ]);
  });

  it('gives the same result for every chunk size', async () => {
    const reference = plain((await readFocusExport(path, WIDE_QUERY, { resources: {} })).resources);
    for (const chunkSize of [1, 7, 64, 333]) {
      const dataset = await readFocusExport(path, WIDE_QUERY, {
        resources: {},
        chunkSize,
        maxRecordBytes: 4096,
      });
      expect(plain(dataset.resources)).toEqual(reference);
    }
  });

  it('keeps only days inside the query', async () => {
    const dataset = await readFocusExport(
      path,
      { tagKey: 'poc', start: '2024-09-19', end: '2024-09-20' },
      {
        resources: {},
      },
    );
    expect(dataset.resources?.map((usage) => [usage.resourceId, usage.days.map((day) => day.date)])).toEqual([
      [NAT, ['2024-09-19']],
    ]);
  });

  it('lets the unit decide when the export has no x_UsageType', async () => {
    const columns = COLUMNS.filter((column) => column !== 'x_UsageType');
    const unitOnly = writeFile(
      dir,
      'unit-only.csv',
      csv([{}, { ConsumedUnit: 'GB', BilledCost: '0.2' }], columns),
    );
    const dataset = await readFocusExport(unitOnly, WIDE_QUERY, { resources: {} });
    expect(plain(dataset.resources)?.[0]?.days).toEqual([['2024-09-18', '0.045', '0.2', '0']]);
    expect(dataset.resources?.[0]?.usageTypes).toEqual(['unit:GB', 'unit:Hrs']);
  });

  it('warns when the export has no ResourceId column', async () => {
    const columns = COLUMNS.filter((column) => column !== 'ResourceId');
    const noIds = writeFile(dir, 'no-ids.csv', csv([{}], columns));
    const dataset = await readFocusExport(noIds, WIDE_QUERY, { resources: {} });
    expect(dataset.resources).toEqual([]);
    expect(dataset.warnings.map((warning) => warning.code)).toEqual(['no-resource-column']);
  });
});
