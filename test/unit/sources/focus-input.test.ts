import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listFocusFiles } from '../../../src/sources/focus-input.js';
import { readFocusExport } from '../../../src/sources/focus-source.js';
import { focusCsv, summarize, TEST_COLUMNS, tempDir, WIDE_QUERY, writeFile } from './focus-fixtures.js';

const dir = tempDir();

/** A small file with every scanner hazard: quotes, doubled quotes, CRLF, embedded newlines, UTF-8. */
function hazardousCsv(): string {
  const rows = focusCsv(
    [
      {
        ChargeDescription: 'multi\nline, "quoted"\r\nvalue',
        Tags: '{"user:poc":"café β"}',
        BilledCost: '0.1',
      },
      { ServiceName: 'Amazon "Quoted" Service', BilledCost: '1.2E-7' },
      { ChargePeriodStart: '2024-09-18 23:00:00', BilledCost: '-0.000000000001' },
      { Tags: '{"poc":"日本"}', BilledCost: '40.3543773134' },
      { BilledCost: 'bad amount' },
      { Tags: 'NULL', ServiceName: 'NULL', SubAccountId: '' },
    ],
    TEST_COLUMNS,
    '\r\n',
  );
  // A last line without a line end, after a malformed one, keeps the end-of-data paths honest.
  return `${rows}${focusCsv([{ ChargeDescription: 'two\nlines', BilledCost: 'x' }])
    .split('\n')
    .slice(1, 3)
    .join('\n')}\n${focusCsv([{ BilledCost: '2' }]).split('\n')[1]}`;
}

describe('FOCUS input files', () => {
  it('gives the same result for every chunk size, warnings and line numbers included', async () => {
    const text = hazardousCsv();
    const path = writeFile(dir, 'hazards.csv', text);
    const reference = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(reference.rows)).toEqual([
      '2024-09-18 - Unknown - 1',
      '2024-09-18 alpha Amazon "Quoted" Service 111111111111 0.00000012',
      '2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 1.999999999999',
      '2024-09-18 café β Amazon Elastic Compute Cloud 111111111111 0.1',
      '2024-09-18 日本 Amazon Elastic Compute Cloud 111111111111 40.3543773134',
    ]);
    expect(reference.warnings.map((w) => `${w.code} ${w.where?.slice(path.length)}`)).toEqual([
      'malformed-row :8',
      'malformed-row :10',
      'malformed-rows ',
    ]);
    const length = Buffer.byteLength(text);
    for (let chunkSize = 1; chunkSize <= length + 1; chunkSize++) {
      const dataset = await readFocusExport(path, WIDE_QUERY, { chunkSize, maxRecordBytes: 4096 });
      expect(dataset, `chunk size ${chunkSize}`).toEqual(reference);
    }
  });

  it('detects gzip by its magic bytes, whatever the name', async () => {
    const text = hazardousCsv();
    const plain = await readFocusExport(writeFile(dir, 'plain.csv', text), WIDE_QUERY);
    const gz = writeFile(dir, 'compressed.csv', gzipSync(text));
    const dataset = await readFocusExport(gz, WIDE_QUERY);
    expect(dataset.rows).toEqual(plain.rows);
    expect(dataset.warnings.map((w) => w.code)).toEqual(plain.warnings.map((w) => w.code));
    const small = await readFocusExport(gz, WIDE_QUERY, { chunkSize: 7 });
    expect(small.rows).toEqual(plain.rows);
  });

  it('reads multi-member gzip files', async () => {
    const text = focusCsv([{ BilledCost: '1' }, { BilledCost: '2' }]);
    const [header, ...rows] = text.split(/(?<=\n)/);
    const members = Buffer.concat([gzipSync(`${header}${rows[0]}`), gzipSync(rows.slice(1).join(''))]);
    const dataset = await readFocusExport(writeFile(dir, 'members.csv.gz', members), WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 3']);
  });

  it('fails clearly on a truncated gzip file', async () => {
    const gz = gzipSync(focusCsv(Array.from({ length: 200 }, (_, i) => ({ BilledCost: String(i) }))));
    const path = writeFile(dir, 'truncated.csv.gz', gz.subarray(0, gz.length - 20));
    await expect(readFocusExport(path, WIDE_QUERY)).rejects.toThrow(/truncated\.csv\.gz: cannot decompress/);
  });

  it('reads a folder recursively in path order, skipping manifests and other files', async () => {
    const root = join(dir, 'export');
    const period = (month: string) => join(root, 'data', `BILLING_PERIOD=2024-${month}`);
    mkdirSync(period('09'), { recursive: true });
    mkdirSync(period('10'), { recursive: true });
    mkdirSync(join(root, 'metadata'), { recursive: true });
    writeFileSync(join(root, 'metadata', 'export-Manifest.json'), '{"not":"csv"}');
    writeFileSync(join(root, 'README.txt'), 'hello');
    writeFileSync(
      join(period('10'), 'export-00001.csv.gz'),
      gzipSync(focusCsv([{ ChargePeriodStart: '2024-10-01T00:00:00Z', BilledCost: '4' }])),
    );
    // Another column order in another file: columns are located per file.
    const reordered = [...TEST_COLUMNS].reverse();
    writeFileSync(join(period('09'), 'export-00002.csv'), focusCsv([{ BilledCost: '2' }], reordered));
    writeFileSync(join(period('09'), 'export-00001.csv.gz'), gzipSync(focusCsv([{ BilledCost: '1' }])));
    expect((await listFocusFiles(root)).map((file) => file.slice(root.length))).toEqual([
      '/data/BILLING_PERIOD=2024-09/export-00001.csv.gz',
      '/data/BILLING_PERIOD=2024-09/export-00002.csv',
      '/data/BILLING_PERIOD=2024-10/export-00001.csv.gz',
    ]);
    const dataset = await readFocusExport(root, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual([
      '2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 3',
      '2024-10-01 alpha Amazon Elastic Compute Cloud 111111111111 4',
    ]);
    expect(dataset.coverage).toEqual({ first: '2024-09-18', last: '2024-10-01' });
  });

  it('fails on a folder without CSV files and on a missing path', async () => {
    const empty = join(dir, 'nothing');
    mkdirSync(empty);
    writeFileSync(join(empty, 'manifest.json'), '{}');
    await expect(readFocusExport(empty, WIDE_QUERY)).rejects.toThrow(/no FOCUS CSV files/);
    await expect(readFocusExport(join(dir, 'absent.csv'), WIDE_QUERY)).rejects.toThrow(/ENOENT/);
  });

  it('reports byte progress, throttled, ending at the total', async () => {
    const text = focusCsv(Array.from({ length: 2000 }, (_, i) => ({ BilledCost: `${i}.5` })));
    const path = writeFile(dir, 'progress.csv', text);
    const events: Array<{ stage: string; done: number; total?: number; unit: string }> = [];
    await readFocusExport(path, WIDE_QUERY, { chunkSize: 64, onProgress: (event) => events.push(event) });
    const total = Buffer.byteLength(text);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThan(20);
    expect(events.every((e) => e.stage === 'read' && e.unit === 'bytes' && e.total === total)).toBe(true);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(events.at(-1)?.done).toBe(total);
  });
});
