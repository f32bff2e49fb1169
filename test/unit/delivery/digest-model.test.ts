import { describe, expect, it } from 'vitest';
import { parseMoney, sumMoney } from '../../../src/core/money.js';
import { periodFor } from '../../../src/core/period.js';
import { buildDigest, DIGEST_DAYS, ownersOf } from '../../../src/delivery/digest-model.js';
import { fixtureReport } from '../report/fixture-report.js';
import { REPORT_URL, singleAttentionReport } from './digest-fixtures.js';

const m = parseMoney;

describe('buildDigest (team)', () => {
  const report = fixtureReport();
  const digest = buildDigest(report, { reportUrl: REPORT_URL });

  it('says in one line which PoCs need attention and why', () => {
    expect(digest.headline).toBe(
      '2 PoCs need attention: checkout-redesign over budget ($152 of $120), chatbot-poc expired and still billing; 3 more to watch',
    );
    expect(digest.headlineShort).toBe('2 PoCs need attention');
    expect(digest.counts).toEqual({ pocs: 7, attention: 2, watch: 3, newAlerts: 5, earlierAlerts: 4 });
  });

  it('keeps the PoCs in risk order with their figures and the last 14 days', () => {
    expect(digest.pocs.map((p) => p.name)).toEqual(report.pocs.map((p) => p.poc));
    const [checkout] = digest.pocs;
    const source = report.pocs[0];
    expect(checkout).toMatchObject({
      name: 'checkout-redesign',
      status: 'over-budget',
      level: 'attention',
      monthToDate: source?.monthToDate,
      monthlyBudget: m('120'),
      forecastMonthEnd: source?.forecastMonthEnd,
      changeSinceYesterday: source?.changeSinceYesterday,
    });
    expect(checkout?.budgetUsed).toBeCloseTo(1.267, 3);
    expect(checkout?.days).toHaveLength(DIGEST_DAYS);
    expect(checkout?.days[0]?.date).toBe('2026-11-05');
    expect(checkout?.days.at(-1)).toEqual({ date: '2026-11-18', cost: m('11.35'), estimated: true });
    expect([...(checkout?.sparkline ?? '')]).toHaveLength(DIGEST_DAYS);
  });

  it('shows missing days inside the period as zero and has no forecast without data', () => {
    const pricing = digest.pocs.find((p) => p.name === 'pricing-experiment');
    expect(pricing?.days.filter((d) => d.cost === 0n)).toHaveLength(12);
    const r = fixtureReport();
    const first = r.pocs[0];
    if (first) first.forecastBasis = { method: 'no-data', days: 0, dailyRate: 0n };
    expect(buildDigest(r).pocs[0]?.forecastMonthEnd).toBeUndefined();
  });

  it('lists only the new alerts, most severe first', () => {
    expect(digest.alerts.map((a) => a.id)).toEqual([
      'checkout-redesign:over-budget:2026-11:100',
      'checkout-redesign:daily-cap:2026-11-16',
      'search-relevance:forecast:2026-11',
      'image-tagging:per-use:2026-11-18',
      'données-clients:unbudgeted:2026-11',
    ]);
    expect(digest.alerts.every((a) => !('new' in a))).toBe(true);
  });

  it('carries the recommendations with their total savings', () => {
    expect(digest.recommendations.map((r) => r.poc)).toEqual(['chatbot-poc', 'search-relevance']);
    expect(digest.savings).toBe(m('63.11'));
  });

  it('has the totals, unattributed spend, unowned PoCs and what the run cost', () => {
    expect(digest.totals).toEqual({
      monthToDate: report.total.monthToDate,
      forecastMonthEnd: report.total.forecastMonthEnd,
    });
    expect(digest.unattributed?.monthToDate).toBe(report.unattributed.monthToDate);
    expect(digest.unattributed?.share).toBeCloseTo(0.152, 3);
    expect(digest.unattributed?.services[0]?.service).toBe('EC2 - Other');
    expect(digest.unownedPocs).toEqual(['données-clients']);
    expect(digest.run).toEqual({ apiCost: 0n, apiCalls: 0, apiCallsLabel: 'none (offline)' });
    const live = buildDigest({
      ...report,
      apiCalls: { 'ce:GetCostAndUsage': 3, 'cloudwatch:GetMetricData': 2 },
      apiCost: m('0.03002'),
    });
    expect(live.run.apiCalls).toBe(5);
    expect(live.run.apiCost).toBe(m('0.03002'));
  });

  it('notes estimates and skipped input so the figures can be judged', () => {
    expect(digest.notes).toEqual([
      'The latest days are AWS estimates and may still change.',
      '2 source warnings in the report.',
    ]);
    const partial = buildDigest({ ...report, source: { ...report.source, partial: true, estimated: false } });
    expect(partial.notes[0]).toMatch(/^Some input was skipped: totals may be low/);
  });

  it('keeps the report URL only when it is an absolute http(s) URL', () => {
    expect(digest.reportUrl).toBe(REPORT_URL);
    expect(buildDigest(report, { reportUrl: 'javascript:alert(1)' }).reportUrl).toBeUndefined();
    expect(buildDigest(report, { reportUrl: 'reports/today.html' }).reportUrl).toBeUndefined();
    expect(buildDigest(report, { reportUrl: 'mailto:a@example.com' }).reportUrl).toBeUndefined();
  });
});

describe('buildDigest headlines', () => {
  it('names the PoCs to watch when nothing is over budget or expired', () => {
    const report = fixtureReport();
    for (const poc of report.pocs)
      if (poc.status === 'over-budget' || poc.status === 'expired') poc.status = 'ok';
    expect(buildDigest(report).headline).toBe(
      'Nothing over budget or expired; 3 PoCs to watch: search-relevance forecast over budget ($291 of $200), image-tagging cost per use over its maximum, données-clients has no budget ($41.76 this month)',
    );
  });

  it('says all is well, and says so when there is no PoC at all', () => {
    const report = fixtureReport();
    for (const poc of report.pocs) poc.status = 'ok';
    expect(buildDigest(report).headline).toBe('All 7 PoCs on track: $532.93 spent this month');
    expect(buildDigest({ ...report, pocs: [] }).headline).toBe('No PoC spend this month');
  });

  it('names at most three PoCs', () => {
    const report = fixtureReport();
    for (const poc of report.pocs) poc.status = 'expired';
    expect(buildDigest(report).headline).toMatch(/^7 PoCs need attention: .*, .*, .* and 4 more$/);
  });

  it('says whether an expired PoC is still billing', () => {
    const report = singleAttentionReport('checkout-redesign');
    const pocs = report.pocs.map((poc) =>
      poc.poc === 'invoice-ocr' ? { ...poc, status: 'expired' as const } : poc,
    );
    const invoice = pocs.find((p) => p.poc === 'invoice-ocr');
    if (invoice) invoice.daily = invoice.daily.filter((d) => d.date !== '2026-11-18');
    expect(buildDigest({ ...report, pocs }).headline).toContain('invoice-ocr expired');
    expect(buildDigest({ ...report, pocs }).headline).not.toContain('invoice-ocr expired and still billing');
  });

  it('shows fewer days early in the month', () => {
    const report = fixtureReport();
    const digest = buildDigest({ ...report, period: periodFor('2026-11-04') });
    expect(digest.pocs[0]?.days.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });
});

describe('per-owner digests', () => {
  it('lists the distinct owners, whatever their case', () => {
    const report = fixtureReport();
    const search = report.pocs.find((p) => p.poc === 'search-relevance');
    search?.owners.push(' DANA@example.com ');
    expect(ownersOf(report)).toEqual([
      'alex@example.com',
      'dana@example.com',
      'joe@example.com',
      'lee@example.com',
      'maria@example.com',
      'priya@example.com',
      'sam@example.com',
    ]);
  });

  it("holds only the owner's PoCs, alerts and recommendations, without unattributed spend", () => {
    const report = fixtureReport();
    const digest = buildDigest(report, { owner: 'Lee@Example.com' });
    expect(digest.scope).toEqual({ kind: 'owner', owner: 'Lee@Example.com' });
    expect(digest.pocs.map((p) => p.name)).toEqual(['search-relevance']);
    expect(digest.alerts.map((a) => a.poc)).toEqual(['search-relevance']);
    expect(digest.counts.earlierAlerts).toBe(1);
    expect(digest.recommendations.map((r) => r.poc)).toEqual(['search-relevance']);
    expect(digest.unattributed).toBeUndefined();
    expect(digest.unownedPocs).toEqual([]);
    const search = report.pocs.find((p) => p.poc === 'search-relevance');
    expect(digest.totals).toEqual({
      monthToDate: search?.monthToDate,
      forecastMonthEnd: search?.forecastMonthEnd,
    });
    expect(digest.headline).toBe(
      'Nothing over budget or expired; 1 PoC to watch: search-relevance forecast over budget ($291 of $200)',
    );
  });

  it('gives every owner a digest whose PoCs together cover all owned PoCs', () => {
    const report = fixtureReport();
    const covered = new Set(
      ownersOf(report).flatMap((o) => buildDigest(report, { owner: o }).pocs.map((p) => p.name)),
    );
    expect([...covered].sort()).toEqual(
      report.pocs
        .filter((p) => p.owners.length > 0)
        .map((p) => p.poc)
        .sort(),
    );
    const owned = sumMoney(
      ['dana@example.com'].flatMap((o) => buildDigest(report, { owner: o }).pocs.map((p) => p.monthToDate)),
    );
    expect(owned).toBe(report.pocs[0]?.monthToDate);
  });

  it('is empty for someone who owns nothing', () => {
    const digest = buildDigest(fixtureReport(), { owner: 'nobody@example.com' });
    expect(digest.pocs).toEqual([]);
    expect(digest.alerts).toEqual([]);
    expect(digest.recommendations).toEqual([]);
    expect(digest.headline).toBe('None of your PoCs has spend this month');
  });
});

describe('buildDigest: what a degraded run could not look at', () => {
  it('names what is missing first, and lists it', () => {
    const base = fixtureReport();
    const message = 'Elastic IPs in us-east-1 not scanned: ec2:DescribeAddresses denied';
    const report = {
      ...base,
      source: { ...base.source, partial: true },
      warnings: [
        { code: 'stage-failed', partial: true, message, effect: 'Elastic IPs in us-east-1 not scanned' },
        {
          code: 'region-unavailable',
          partial: false,
          message: 'ap-east-1 skipped',
          effect: 'ap-east-1 not scanned',
        },
      ],
    };
    const digest = buildDigest(report);
    expect(digest.missing).toEqual([message]);
    expect(digest.notes[0]).toBe(`Missing: ${message}.`);
  });

  it('names three and counts the rest', () => {
    const base = fixtureReport();
    const warnings = ['a', 'b', 'c', 'd', 'e'].map((name) => ({
      code: 'stage-failed',
      partial: true,
      message: `${name} not read`,
      effect: `${name} not read`,
    }));
    const digest = buildDigest({ ...base, warnings });
    expect(digest.notes[0]).toBe(
      'Missing: a not read; b not read; c not read; and 2 more (see the report’s warnings).',
    );
  });
});
