import { describe, expect, it } from 'vitest';
import { FocusCostSource, FocusFormatError, readFocusExport } from '../../../src/sources/focus-source.js';
import { focusCsv, summarize, TEST_COLUMNS, tempDir, WIDE_QUERY, writeFile } from './focus-fixtures.js';

const dir = tempDir();

describe('FocusCostSource', () => {
  it('aggregates hourly rows into days per (poc, service, account)', async () => {
    const path = writeFile(
      dir,
      'basic.csv',
      focusCsv([
        { ChargePeriodStart: '2024-09-18T01:00:00Z', BilledCost: '0.1000000000001' },
        { ChargePeriodStart: '2024-09-18T02:00:00Z', BilledCost: '0.2000000000002' },
        { ChargePeriodStart: '2024-09-19T00:00:00Z', BilledCost: '5' },
        { Tags: '{"poc":"bravo","user:env":"dev"}', BilledCost: '2.5' },
        { Tags: '{"user:poc":"alpha"}', SubAccountId: '222222222222', BilledCost: '1' },
        { Tags: '{"user:poc":"alpha"}', ServiceName: 'AWS Lambda', BilledCost: '1' },
      ]),
    );
    const source = new FocusCostSource({ path });
    expect(source.kind).toBe('focus');
    expect(source.description).toContain(path);
    const dataset = await source.load(WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual([
      '2024-09-18 alpha AWS Lambda 111111111111 1',
      '2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 0.3000000000003',
      '2024-09-18 alpha Amazon Elastic Compute Cloud 222222222222 1',
      '2024-09-18 bravo Amazon Elastic Compute Cloud 111111111111 2.5',
      '2024-09-19 alpha Amazon Elastic Compute Cloud 111111111111 5',
    ]);
    expect(dataset.rows.every((row) => row.estimated === false)).toBe(true);
    expect(dataset.currency).toBe('USD');
    expect(dataset.coverage).toEqual({ first: '2024-09-18', last: '2024-09-19' });
    expect(dataset.apiCalls).toEqual({});
    expect(dataset.warnings).toEqual([]);
  });

  it('treats NULL, empty and {} Tags, and a missing or empty tag, as unattributed', async () => {
    const path = writeFile(
      dir,
      'untagged.csv',
      focusCsv([
        { Tags: 'NULL' },
        { Tags: '' },
        { Tags: '{}' },
        { Tags: '{"user:env":"dev"}' },
        { Tags: '{"user:poc":""}' },
        { Tags: '{"user:poc":"café β"}' },
      ]),
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual([
      '2024-09-18 - Amazon Elastic Compute Cloud 111111111111 5',
      '2024-09-18 café β Amazon Elastic Compute Cloud 111111111111 1',
    ]);
  });

  it('uses the configured tag key, with or without user:', async () => {
    const path = writeFile(
      dir,
      'tagkey.csv',
      focusCsv([{ Tags: '{"user:project":"x","user:poc":"alpha"}' }, { Tags: '{"project":"y"}' }]),
    );
    for (const tagKey of ['project', 'user:project']) {
      const dataset = await readFocusExport(path, { ...WIDE_QUERY, tagKey });
      expect(dataset.rows.map((row) => row.poc)).toEqual(['x', 'y']);
    }
  });

  it('reads NULL literals: Unknown service, empty account, zero cost', async () => {
    const path = writeFile(
      dir,
      'nulls.csv',
      focusCsv([
        {
          ServiceName: 'NULL',
          SubAccountId: 'NULL',
          BilledCost: 'NULL',
          BillingCurrency: 'NULL',
          ProviderName: 'NULL',
        },
        { ServiceName: '', SubAccountId: '', BilledCost: '3' },
      ]),
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Unknown - 3']);
    expect(dataset.currency).toBe('USD');
  });

  it('accepts timestamp variants and converts offsets to the UTC day', async () => {
    const path = writeFile(
      dir,
      'times.csv',
      focusCsv([
        { ChargePeriodStart: '2024-09-18T22:00:00Z' },
        { ChargePeriodStart: '2024-09-18 22:00:00' },
        { ChargePeriodStart: '2024-09-18T22:00:00.000Z' },
        { ChargePeriodStart: '2024-09-18 22:00:00.123456' },
        { ChargePeriodStart: '2024-09-18T22:00:00+00:00' },
        { ChargePeriodStart: '2024-09-18T22:00:00-03:00' },
        { ChargePeriodStart: '2024-09-19T01:00:00+02:00' },
      ]),
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual([
      '2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 6',
      '2024-09-19 alpha Amazon Elastic Compute Cloud 111111111111 1',
    ]);
  });

  it('sums amounts exactly, exponent notation and 12+ decimals included', async () => {
    const amounts = ['0.000000123456789012', '1.2E-7', '-3.5e+1', '40.3543773134', '0.1', '0.2', '"7"'];
    const path = writeFile(
      dir,
      'amounts.csv',
      focusCsv(amounts.map((amount) => ({ BilledCost: amount.replaceAll('"', '') }))),
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual([
      '2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 12.654377556856789012',
    ]);
  });

  it('reads quoted amounts and dates', async () => {
    const text = `${TEST_COLUMNS.join(',')}\n1,"2024-09-18T00:00:00Z",x,"2.5",1,USD,AWS,S,"1",d,"{""poc"":""a""}",u\n`;
    const dataset = await readFocusExport(writeFile(dir, 'quoted.csv', text), WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 a S 1 2.5']);
  });

  it('keeps only days in [start, end) but reports coverage over every AWS row', async () => {
    const path = writeFile(
      dir,
      'window.csv',
      focusCsv(
        ['2024-08-31T23:00:00Z', '2024-09-01T00:00:00Z', '2024-09-30T23:59:59Z', '2024-10-01T00:00:00Z'].map(
          (ChargePeriodStart) => ({ ChargePeriodStart }),
        ),
      ),
    );
    const dataset = await readFocusExport(path, { tagKey: 'poc', start: '2024-09-01', end: '2024-10-01' });
    expect(dataset.rows.map((row) => row.date)).toEqual(['2024-09-01', '2024-09-30']);
    expect(dataset.coverage).toEqual({ first: '2024-08-31', last: '2024-10-01' });
  });

  it('sums EffectiveCost for the amortized metrics and BilledCost otherwise', async () => {
    const path = writeFile(dir, 'metrics.csv', focusCsv([{ BilledCost: '10', EffectiveCost: '4' }]));
    const cost = async (
      costMetric?: 'UnblendedCost' | 'AmortizedCost' | 'NetUnblendedCost' | 'NetAmortizedCost',
    ) =>
      summarize((await new FocusCostSource({ path, costMetric }).load(WIDE_QUERY)).rows)[0]
        ?.split(' ')
        .pop();
    expect(await cost()).toBe('10');
    expect(await cost('UnblendedCost')).toBe('10');
    expect(await cost('NetUnblendedCost')).toBe('10');
    expect(await cost('AmortizedCost')).toBe('4');
    expect(await cost('NetAmortizedCost')).toBe('4');
  });

  it('skips rows from other providers with one warning', async () => {
    const path = writeFile(
      dir,
      'providers.csv',
      focusCsv([
        { ProviderName: 'AWS' },
        { ProviderName: 'Amazon Web Services' },
        { ProviderName: 'Microsoft', ChargePeriodStart: '2024-01-01T00:00:00Z' },
        { ProviderName: 'Google Cloud' },
        { ProviderName: 'Microsoft' },
      ]),
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 2']);
    expect(dataset.coverage).toEqual({ first: '2024-09-18', last: '2024-09-18' });
    expect(dataset.warnings).toEqual([
      { code: 'other-provider', message: expect.stringMatching(/skipped 3 rows .*Microsoft, Google Cloud/) },
    ]);
  });

  it('reads FOCUS 1.2 column names (ServiceProviderName, HostProviderName), in any order', async () => {
    const text = [
      'Tags,HostProviderName,ServiceProviderName,SubAccountId,ServiceName,BilledCost,ChargePeriodStart',
      '"{""user:poc"":""a""}",AWS,AWS,1,S,1.5,2024-09-18T00:00:00Z',
      '"{""user:poc"":""a""}",Azure,Microsoft,1,S,100,2024-09-18T00:00:00Z',
      '',
    ].join('\n');
    const dataset = await readFocusExport(writeFile(dir, 'focus12.csv', text), WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 a S 1 1.5']);
    expect(dataset.warnings.map((w) => w.code)).toEqual(['other-provider']);
    expect(dataset.currency).toBeUndefined();
    const withDefault = await readFocusExport(writeFile(dir, 'focus12b.csv', text), WIDE_QUERY, {
      currency: 'EUR',
    });
    expect(withDefault.currency).toBe('EUR');
  });

  it('warns when rows carry several currencies, or not the configured one', async () => {
    const path = writeFile(
      dir,
      'currency.csv',
      focusCsv([{ BillingCurrency: 'USD' }, { BillingCurrency: 'EUR' }, { BillingCurrency: 'EUR' }]),
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(dataset.currency).toBe('EUR');
    expect(dataset.warnings.map((w) => w.code)).toEqual(['mixed-currency']);
    expect(dataset.warnings[0]?.message).toContain('EUR: 2 rows, USD: 1 row');
    const single = writeFile(dir, 'currency-eur.csv', focusCsv([{ BillingCurrency: 'EUR' }]));
    const mismatch = await readFocusExport(single, WIDE_QUERY, { currency: 'USD' });
    expect(mismatch.currency).toBe('EUR');
    expect(mismatch.warnings.map((w) => w.code)).toEqual(['mixed-currency']);
  });

  it('throws FocusFormatError naming the file, the missing columns and the header', async () => {
    const path = writeFile(dir, 'notfocus.csv', 'Date,Cost,Service\n2024-09-18,1,S\n');
    const error = await readFocusExport(path, WIDE_QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FocusFormatError);
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain(
      'missing columns ChargePeriodStart, BilledCost, ServiceName, SubAccountId, Tags',
    );
    expect(message).toContain('header has: Date, Cost, Service');
    const amortized = writeFile(
      dir,
      'noeffective.csv',
      focusCsv([{}], ['ChargePeriodStart', 'BilledCost', 'ServiceName', 'SubAccountId', 'Tags']),
    );
    await expect(readFocusExport(amortized, WIDE_QUERY, { costMetric: 'AmortizedCost' })).rejects.toThrow(
      /missing column EffectiveCost/,
    );
  });

  it('reads CRLF files with a byte-order mark', async () => {
    const path = writeFile(
      dir,
      'crlf.csv',
      `\uFEFF${focusCsv([{ BilledCost: '1' }, { BilledCost: '2' }], TEST_COLUMNS, '\r\n')}`,
    );
    const dataset = await readFocusExport(path, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 3']);
    expect(dataset.warnings).toEqual([]);
  });

  it('warns about an empty file and skips blank lines', async () => {
    const empty = await readFocusExport(writeFile(dir, 'empty.csv', ''), WIDE_QUERY);
    expect(empty.rows).toEqual([]);
    expect(empty.warnings.map((w) => w.code)).toEqual(['empty-file']);
    const blank = writeFile(dir, 'blank.csv', `${focusCsv([{}])}\n\r\n${focusCsv([{}]).split('\n')[1]}\n\n`);
    const dataset = await readFocusExport(blank, WIDE_QUERY);
    expect(summarize(dataset.rows)).toEqual(['2024-09-18 alpha Amazon Elastic Compute Cloud 111111111111 2']);
    expect(dataset.warnings).toEqual([]);
  });

  it('rejects an invalid query window', async () => {
    const path = writeFile(dir, 'any.csv', focusCsv([{}]));
    await expect(readFocusExport(path, { tagKey: 'poc', start: 'soon', end: '2024-01-01' })).rejects.toThrow(
      RangeError,
    );
  });
});
