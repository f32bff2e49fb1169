import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { DailyCost } from '../../../src/core/cost-data.js';
import { formatMoneyExact } from '../../../src/core/money.js';
import type { CostQuery } from '../../../src/sources/cost-source.js';

/** The columns the reader uses plus a few it must skip, in a deliberately non-FOCUS order. */
export const TEST_COLUMNS = [
  'BillingAccountId',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'ProviderName',
  'ServiceName',
  'SubAccountId',
  'ChargeDescription',
  'Tags',
  'x_UsageType',
] as const;

export type TestRow = Partial<Record<(typeof TEST_COLUMNS)[number], string>>;

const DEFAULTS: TestRow = {
  BillingAccountId: '999999999999',
  ChargePeriodStart: '2024-09-18T22:00:00Z',
  ChargePeriodEnd: '2024-09-18T23:00:00Z',
  BilledCost: '1',
  EffectiveCost: '1',
  BillingCurrency: 'USD',
  ProviderName: 'AWS',
  ServiceName: 'Amazon Elastic Compute Cloud',
  SubAccountId: '111111111111',
  ChargeDescription: 'usage, "quoted" and all',
  Tags: '{"user:poc":"alpha"}',
  x_UsageType: 'BoxUsage:t3.micro',
};

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV text (header + rows) with the given columns; values are written as given ("NULL" included). */
export function focusCsv(rows: TestRow[], columns: readonly string[] = TEST_COLUMNS, eol = '\n'): string {
  const lines = [columns.join(',')];
  for (const row of rows) {
    const merged: Record<string, string | undefined> = { ...DEFAULTS, ...row };
    lines.push(columns.map((column) => field(merged[column] ?? '')).join(','));
  }
  return lines.join(eol) + eol;
}

/** A temporary folder removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pocketwatch-focus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export const WIDE_QUERY: CostQuery = { tagKey: 'poc', start: '2000-01-01', end: '2100-01-01' };

/** Rows as compact strings, "date poc service account cost", for readable assertions. */
export function summarize(rows: readonly DailyCost[]): string[] {
  return rows.map(
    (row) =>
      `${row.date} ${row.poc ?? '-'} ${row.service} ${row.account || '-'} ${formatMoneyExact(row.cost)}`,
  );
}
