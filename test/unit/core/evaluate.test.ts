import { describe, expect, it } from 'vitest';
import { costQueryStart, type EvaluationInput, evaluate } from '../../../src/core/evaluate.js';
import { formatMoneyExact } from '../../../src/core/money.js';
import { $, daily, dataset, policySet, testPolicy } from './builders.js';

const asOf = '2026-11-19';

function run(input: Partial<EvaluationInput> & Pick<EvaluationInput, 'policySet' | 'dataset'>) {
  return evaluate({
    asOf,
    generatedAt: '2026-11-19T06:00:00.000Z',
    source: { kind: 'test', description: 'test rows' },
    deliveredAlertIds: new Set(),
    ...input,
  });
}

const pocOf = (report: ReturnType<typeof run>, poc: string) => {
  const found = report.pocs.find((p) => p.poc === poc);
  if (!found) throw new Error(`no ${poc} in report`);
  return found;
};

describe('evaluate', () => {
  it('reports month-to-date, daily series and services for the period only', () => {
    const rows = [
      ...daily('a', '2026-10-01', '2026-11-19', '1'),
      ...daily('a', '2026-11-01', '2026-11-19', '0.5', 'Amazon S3'),
    ];
    const report = run({ policySet: policySet(testPolicy('a', { monthly: '100' })), dataset: dataset(rows) });
    const a = pocOf(report, 'a');
    expect(formatMoneyExact(a.monthToDate)).toBe('27');
    expect(a.daily).toHaveLength(18);
    expect(a.daily[0]).toEqual({ date: '2026-11-01', cost: $('1.5'), estimated: false });
    expect(a.services).toEqual([
      { service: 'AWS Lambda', cost: $('18') },
      { service: 'Amazon S3', cost: $('9') },
    ]);
    expect(report.period).toMatchObject({ start: '2026-11-01', end: '2026-11-19' });
  });

  it('gives every status: over-budget, warning, expired, unbudgeted, ok', () => {
    const rows = [
      ...daily('over', '2026-11-01', '2026-11-19', '10'),
      ...daily('forecast', '2026-11-01', '2026-11-19', '4'),
      ...daily('expired', '2026-11-01', '2026-11-19', '1'),
      ...daily('orphan', '2026-11-01', '2026-11-19', '2'),
      ...daily('fine', '2026-11-01', '2026-11-19', '1'),
      ...daily(null, '2026-11-01', '2026-11-19', '0.25'),
    ];
    const report = run({
      policySet: policySet(
        testPolicy('over', { monthly: '120' }),
        testPolicy('forecast', { monthly: '100', thresholds: [90] }),
        testPolicy('expired', { monthly: '100', expires: '2026-10-31' }),
        testPolicy('fine', { monthly: '100' }),
      ),
      dataset: dataset(rows),
    });
    expect(Object.fromEntries(report.pocs.map((p) => [p.poc, p.status]))).toEqual({
      over: 'over-budget',
      expired: 'expired',
      forecast: 'warning',
      orphan: 'unbudgeted',
      fine: 'ok',
    });
    expect(report.pocs.map((p) => p.poc)).toEqual(['over', 'expired', 'forecast', 'orphan', 'fine']);
    expect(formatMoneyExact(report.unattributed.monthToDate)).toBe('4.5');
    expect(formatMoneyExact(report.total.monthToDate)).toBe(String(18 * (10 + 4 + 1 + 2 + 1 + 0.25)));
  });

  it('raises only the highest threshold reached, with a stable id carrying the level', () => {
    const rows = daily('a', '2026-11-01', '2026-11-19', '5'); // 90 of 100
    const report = run({ policySet: policySet(testPolicy('a', { monthly: '100' })), dataset: dataset(rows) });
    const budgetAlerts = report.alerts.filter((a) => a.kind === 'threshold' || a.kind === 'over-budget');
    expect(budgetAlerts.map((a) => a.id)).toEqual(['a:threshold:2026-11:80']);
    expect(report.alerts.find((a) => a.kind === 'forecast')?.id).toBe('a:forecast:2026-11');
  });

  it('alerts on daily cap, lifetime budget, spikes and expiry', () => {
    const rows = daily('a', '2026-09-01', '2026-11-19', (d) => (d === '2026-11-10' ? '40' : '2'));
    const report = run({
      policySet: policySet(
        testPolicy('a', {
          monthly: '500',
          dailyCap: '20',
          total: '150',
          start: '2026-09-01',
          expires: '2026-11-22',
        }),
      ),
      dataset: dataset(rows),
    });
    const ids = report.alerts.map((a) => a.id);
    expect(ids).toContain('a:daily-cap:2026-11-10');
    expect(ids).toContain('a:anomaly:2026-11-10');
    expect(ids).toContain('a:lifetime:100');
    expect(ids).toContain('a:expiring:2026-11-22');
    const lifetime = pocOf(report, 'a').lifetime;
    expect(lifetime && formatMoneyExact(lifetime.cost)).toBe(String(78 * 2 + 40));
    expect(lifetime?.complete).toBe(true);
  });

  it('marks alerts already delivered as not new', () => {
    const rows = daily('a', '2026-11-01', '2026-11-19', '10');
    const report = run({
      policySet: policySet(testPolicy('a', { monthly: '100' })),
      dataset: dataset(rows),
      deliveredAlertIds: new Set(['a:over-budget:2026-11:100']),
    });
    expect(report.alerts.find((a) => a.id === 'a:over-budget:2026-11:100')?.new).toBe(false);
  });

  it('warns when a lifetime budget reaches back before the data', () => {
    const rows = daily('a', '2026-11-01', '2026-11-19', '1');
    const report = run({
      policySet: policySet(testPolicy('a', { monthly: '100', total: '500', start: '2026-06-01' })),
      dataset: dataset(rows),
    });
    expect(report.warnings.map((w) => w.code)).toContain('lifetime-partial');
    expect(pocOf(report, 'a').lifetime?.complete).toBe(false);
  });

  it('points at a likely typo between a policy and a tag value', () => {
    const rows = daily('checkout-redesign', '2026-11-01', '2026-11-19', '1');
    const report = run({
      policySet: policySet(testPolicy('checkout-redesgn', { monthly: '100' })),
      dataset: dataset(rows),
    });
    expect(report.warnings.find((w) => w.code === 'policy-tag-mismatch')?.message).toContain(
      '"checkout-redesign"',
    );
  });

  it('marks the report partial when the source skipped input', () => {
    const report = run({
      policySet: policySet(),
      dataset: dataset(daily(null, '2026-11-01', '2026-11-03', '1'), {
        warnings: [{ code: 'malformed-rows', message: '3 rows skipped', partial: true }],
      }),
    });
    expect(report.source.partial).toBe(true);
  });

  it('asks for enough history for baselines and lifetime budgets', () => {
    expect(costQueryStart(asOf, policySet(testPolicy('a', { monthly: '1' })))).toBe('2026-10-18');
    expect(
      costQueryStart(asOf, policySet(testPolicy('a', { monthly: '1', total: '9', start: '2026-03-01' }))),
    ).toBe('2026-03-01');
  });
});

describe('account scoping', () => {
  it('counts spend of a PoC tag in an account outside its policy as unattributed, with a warning', () => {
    const rows = [
      ...daily('a', '2026-11-01', '2026-11-19', '1'),
      ...daily('a', '2026-11-01', '2026-11-19', '2').map((row) => ({ ...row, account: '999999999999' })),
    ];
    const report = run({
      policySet: policySet(testPolicy('a', { monthly: '100', accounts: ['111122223333'] })),
      dataset: dataset(rows),
    });
    expect(formatMoneyExact(pocOf(report, 'a').monthToDate)).toBe('18');
    expect(formatMoneyExact(report.unattributed.monthToDate)).toBe('36');
    expect(report.warnings.find((w) => w.code === 'outside-accounts')?.message).toContain('999999999999');
  });
});
