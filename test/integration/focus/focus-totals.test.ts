import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FocusRecord, focusHeader, focusLine, seededRandom } from '../../../scripts/lib/focus-writer.js';
import { type Money, parseMoney } from '../../../src/core/money.js';
import { FocusCostSource } from '../../../src/sources/focus-source.js';

/**
 * End to end: a generated FOCUS export read by the reader must give the same per-PoC totals as two
 * independent sums: DuckDB over the CSV (DECIMAL(38,18)) and a BigInt sum of the amounts written.
 */

const ROWS = 4000;
const TOLERANCE: Money = 10n ** 12n; // 1e-6 in 10^-18 units
const UNTAGGED = '(untagged)';

let dir: string;
let path: string;
/** Independent BigInt sums of the BilledCost / EffectiveCost strings written, per PoC. */
const billedByPoc = new Map<string, Money>();
const effectiveByPoc = new Map<string, Money>();

function add(map: Map<string, Money>, key: string, amount: string | null): void {
  if (amount === null) return;
  map.set(key, (map.get(key) ?? 0n) + parseMoney(amount));
}

function randomAmount(random: () => number): string {
  const roll = random();
  if (roll < 0.03) return `${(1 + random() * 8).toFixed(6)}E-${5 + Math.floor(random() * 4)}`;
  const value = (random() - 0.05) * 10 ** Math.floor(random() * 4);
  return value.toFixed(10 + Math.floor(random() * 3));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pocketwatch-focus-int-'));
  path = join(dir, 'export.csv');
  const random = seededRandom(7);
  const pocs = ['alpha', 'bravo', 'charlie', 'delta', 'éclair-β', 'foxtrot'];
  let text = focusHeader();
  for (let i = 0; i < ROWS; i++) {
    const poc = random() < 0.15 ? null : (pocs[Math.floor(random() * pocs.length)] as string);
    const tagStyle = random();
    let tags: string | null = null;
    if (poc !== null)
      tags = JSON.stringify(tagStyle < 0.6 ? { 'user:poc': poc, 'user:env': 'dev' } : { poc });
    else if (tagStyle < 0.5) tags = '{}';
    const hour = Math.floor(random() * 24 * 45);
    const start = new Date(Date.UTC(2024, 7, 20) + hour * 3_600_000).toISOString().replace('.000Z', 'Z');
    const billed = randomAmount(random);
    const effective = random() < 0.02 ? null : randomAmount(random);
    const record: FocusRecord = {
      BilledCost: billed,
      EffectiveCost: effective,
      BillingCurrency: 'USD',
      ChargeCategory: 'Usage',
      ChargeDescription: 'usage, with "quotes"',
      ChargePeriodStart: random() < 0.5 ? start : start.replace('T', ' ').replace('Z', ''),
      ProviderName: 'AWS',
      ServiceName: ['Amazon Elastic Compute Cloud', 'AWS Lambda', 'Amazon Simple Storage Service'][
        i % 3
      ] as string,
      SubAccountId: ['111111111111', '222222222222'][i % 2] as string,
      Tags: tags,
    };
    text += focusLine(record);
    add(billedByPoc, poc ?? UNTAGGED, billed);
    add(effectiveByPoc, poc ?? UNTAGGED, effective);
  }
  writeFileSync(path, text);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readerTotals(costMetric: 'UnblendedCost' | 'AmortizedCost'): Promise<Map<string, Money>> {
  const dataset = await new FocusCostSource({ path, costMetric }).load({
    tagKey: 'poc',
    start: '2024-01-01',
    end: '2025-01-01',
  });
  expect(dataset.warnings).toEqual([]);
  const totals = new Map<string, Money>();
  for (const row of dataset.rows) {
    const key = row.poc ?? UNTAGGED;
    totals.set(key, (totals.get(key) ?? 0n) + row.cost);
  }
  return totals;
}

async function duckdbTotals(column: 'BilledCost' | 'EffectiveCost'): Promise<Map<string, Money>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      SELECT coalesce(
               nullif(json_extract_string(Tags, '$.poc'), ''),
               nullif(json_extract_string(Tags, '$."user:poc"'), ''),
               '${UNTAGGED}') AS poc,
             CAST(sum(CAST(${column} AS DECIMAL(38, 18))) AS VARCHAR) AS total
      FROM read_csv('${path.replaceAll("'", "''")}', all_varchar = true, nullstr = 'NULL')
      GROUP BY ALL`);
    const totals = new Map<string, Money>();
    for (const [poc, total] of reader.getRowsJS()) totals.set(String(poc), parseMoney(String(total)));
    return totals;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function expectClose(actual: Map<string, Money>, expected: Map<string, Money>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [poc, total] of expected) {
    const diff = (actual.get(poc) ?? 0n) - total;
    expect(diff < 0n ? -diff : diff, poc).toBeLessThanOrEqual(TOLERANCE);
  }
}

describe('FOCUS reader totals', () => {
  it('match DuckDB and a BigInt sum per PoC (BilledCost)', async () => {
    const ours = await readerTotals('UnblendedCost');
    expectClose(ours, await duckdbTotals('BilledCost'));
    expectClose(ours, billedByPoc);
    // Exact arithmetic end to end: not just close, equal.
    expect(ours).toEqual(billedByPoc);
  });

  it('match DuckDB and a BigInt sum per PoC (EffectiveCost)', async () => {
    const ours = await readerTotals('AmortizedCost');
    expectClose(ours, await duckdbTotals('EffectiveCost'));
    expect(ours).toEqual(effectiveByPoc);
  });
});
