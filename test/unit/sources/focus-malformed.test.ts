import { describe, expect, it } from 'vitest';
import { MAX_ROW_WARNINGS_PER_FILE, readFocusExport } from '../../../src/sources/focus-source.js';
import { focusCsv, summarize, TEST_COLUMNS, tempDir, WIDE_QUERY, writeFile } from './focus-fixtures.js';

const dir = tempDir();

describe('malformed rows', () => {
  it('skips each malformed row with its physical line, column and value; keeps the rest', async () => {
    const good = focusCsv([{}]).split('\n')[1] as string;
    const lines = [
      TEST_COLUMNS.join(','), // 1
      good, // 2
      focusCsv([{ ChargeDescription: 'two\nlines' }])
        .split('\n')
        .slice(1, 3)
        .join('\n'), // 3-4
      good.replace(',USD,', ',USD,extra,'), // 5: one field too many
      focusCsv([{ BilledCost: '12,5' }]).split('\n')[1], // 6: "12,5" is quoted, so valid CSV but not an amount
      focusCsv([{ ChargePeriodStart: '18/09/2024 22:00' }]).split('\n')[1], // 7
      focusCsv([{ Tags: '{"user:poc":"alpha"' }]).split('\n')[1], // 8
      good.replace('usage, ""quoted"" and all"', 'usage"x'), // 9: character after closing quote
      good, // 10
      `${good.slice(0, 30)},"never closed`, // 11: unterminated quote to the end of the file
      focusCsv([{ ChargeDescription: 'plain', Tags: 'NULL' }]).split('\n')[1], // 12: read again after 11
    ];
    const path = writeFile(dir, 'broken.csv', `${lines.join('\n')}\n`);
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual([
      '2024-09-18 - Amazon Elastic Compute Cloud 111111111111 1',
      '2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 3',
    ]);
    const rowWarnings = dataset.warnings.filter((w) => w.code === 'malformed-row');
    expect(rowWarnings.map((w) => w.where)).toEqual([
      `${path}:5`,
      `${path}:6`,
      `${path}:7`,
      `${path}:8`,
      `${path}:9`,
      `${path}:11`,
    ]);
    expect(rowWarnings.map((w) => w.message)).toEqual([
      `expected ${TEST_COLUMNS.length} fields, found ${TEST_COLUMNS.length + 1}`,
      'BilledCost: not a decimal amount: "12,5"',
      'ChargePeriodStart: not a timestamp: "18/09/2024 22:00"',
      'Tags: not a JSON object: "{\\"user:poc\\":\\"alpha\\""',
      'unexpected character after a closing quote',
      'unterminated quoted field',
    ]);
    expect(dataset.warnings.at(-1)).toEqual({
      code: 'malformed-rows',
      message: '6 malformed rows skipped',
      where: path,
      partial: true,
    });
  });

  it('caps individual warnings per file and counts the rest in one summary', async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => ({
      BilledCost: i % 2 === 0 ? 'oops' : `x${'9'.repeat(300)}`,
    }));
    const path = writeFile(dir, 'many.csv', focusCsv([{}, ...rows, {}]));
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 2']);
    const rowWarnings = dataset.warnings.filter((w) => w.code === 'malformed-row');
    expect(rowWarnings).toHaveLength(MAX_ROW_WARNINGS_PER_FILE);
    expect(rowWarnings[0]?.where).toBe(`${path}:3`);
    expect(rowWarnings[1]?.message.length).toBeLessThan(120);
    expect(rowWarnings[1]?.message).toContain('...');
    expect(dataset.warnings.filter((w) => w.code === 'malformed-rows')).toEqual([
      { code: 'malformed-rows', message: '1,234 malformed rows skipped', where: path, partial: true },
    ]);
  });

  it('recovers after an unterminated quote in the middle of a file', async () => {
    const good = focusCsv([{}]).split('\n')[1] as string;
    const text = [TEST_COLUMNS.join(','), good, `"open${'x'.repeat(1000)}`, good, good, ''].join('\n');
    const path = writeFile(dir, 'open-quote.csv', text);
    const dataset = await readFocusExport(path, WIDE_QUERY, { maxRecordBytes: 300, chunkSize: 16 });
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 3']);
    expect(
      dataset.warnings.filter((w) => w.code === 'malformed-row').map((w) => [w.where, w.message]),
    ).toEqual([[`${path}:3`, 'no line end within 300 bytes (unterminated quoted field?)']]);
  });

  it('fails on a file whose first line never ends (not a CSV file)', async () => {
    const path = writeFile(dir, 'binary.csv', Buffer.alloc(5000, 0x41));
    await expect(readFocusExport(path, WIDE_QUERY, { maxRecordBytes: 1000 })).rejects.toThrow(
      /binary\.csv: no header line within 1000 bytes/,
    );
  });

  it('counts malformed rows per file', async () => {
    const a = writeFile(dir, 'a-bad.csv', focusCsv([{ BilledCost: 'bad' }]));
    const dataset = await readFocusExport(a, WIDE_QUERY);
    expect(dataset.warnings).toEqual([
      {
        code: 'malformed-row',
        message: 'BilledCost: not a decimal amount: "bad"',
        where: `${a}:2`,
        partial: true,
      },
      { code: 'malformed-rows', message: '1 malformed row skipped', where: a, partial: true },
    ]);
  });
});
