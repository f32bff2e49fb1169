import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoneyExact, moneyToNumber, parseMoney } from '../../../src/core/money.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../../src/core/report.js';
import { reportToJson } from '../../../src/report/render-json.js';
import { reportJsonSchema } from '../../../src/report/report-schema.js';
import { EXACT_SERVICE_COST, fixtureReport, NAT_MONTHLY } from './fixture-report.js';
import { HTML_PAYLOAD, hostileReport } from './hostile-report.js';

/** Plain Ajv in strict mode, no formats plugin: the schema must stand on its own. */
function validator() {
  const ajv = new Ajv({ strict: true, allErrors: true });
  return ajv.compile(reportJsonSchema);
}

const validate = validator();

function expectValid(json: unknown): void {
  const ok = validate(json);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

/** Through JSON text and back: what a consumer of report.json actually sees. */
function roundTrip(report: Report): unknown {
  return JSON.parse(JSON.stringify(reportToJson(report)));
}

describe('reportToJson', () => {
  it('produces output that validates against the schema', () => {
    expectValid(roundTrip(fixtureReport()));
  });

  it('validates for an empty month and for hostile strings too', () => {
    const empty = fixtureReport();
    empty.pocs = [];
    empty.alerts = [];
    empty.warnings = [];
    empty.unattributed = { monthToDate: 0n, services: [], daily: [] };
    empty.total = { monthToDate: 0n, forecastMonthEnd: 0n, daily: [] };
    expectValid(roundTrip(empty));
    const hostile = roundTrip(hostileReport()) as { pocs: { poc: string }[] };
    expectValid(hostile);
    // JSON carries user strings verbatim: escaping is the job of each renderer.
    expect(hostile.pocs[0]?.poc).toBe(`${HTML_PAYLOAD}0`);
  });

  it('keeps amounts exact as numbers', () => {
    const json = reportToJson(fixtureReport());
    const checkout = json.pocs.find((p) => p.poc === 'checkout-redesign');
    const rds = checkout?.services.find((s) => s.service === 'Amazon Relational Database Service');
    expect(rds?.cost).toBe(40.3543773134);
    expect(rds?.cost).toBe(Number(EXACT_SERVICE_COST));
    // The remainder service carries the other side of the exact split.
    expect(checkout?.services.find((s) => s.service === 'AWS Lambda')?.cost).toBe(31.0585226866);
    expect(checkout?.monthToDate).toBe(152.04);
    expect(checkout?.budget).toEqual({ monthly: 120, dailyCap: 15, thresholds: [50, 80, 100] });
    expect(checkout?.budgetUsed).toBe(1.267);
    expect(checkout?.changeSinceYesterday).toBe(0.33);
    expect(checkout?.daily[15]).toEqual({ date: '2026-11-16', cost: 16.4, estimated: false });
    expect(checkout?.forecastBasis).toEqual({ method: 'trailing-average', days: 7, dailyRate: 11.04 });
    expect(json.total.monthToDate).toBe(532.925);
    expect(json.unattributed.monthToDate).toBe(81.15);
    const credit = json.pocs
      .find((p) => p.poc === 'image-tagging')
      ?.daily.find((d) => d.date === '2026-11-09');
    expect(credit?.cost).toBe(-3.5);
  });

  it('matches moneyToNumber for every PoC amount', () => {
    const report = fixtureReport();
    const json = reportToJson(report);
    report.pocs.forEach((poc, i) => {
      const out = json.pocs[i];
      expect(out?.poc).toBe(poc.poc);
      expect(out?.monthToDate).toBe(moneyToNumber(poc.monthToDate));
      expect(out?.forecastMonthEnd).toBe(moneyToNumber(poc.forecastMonthEnd));
      expect(out?.services.map((s) => s.cost)).toEqual(poc.services.map((s) => moneyToNumber(s.cost)));
      expect(out?.daily.map((d) => d.cost)).toEqual(poc.daily.map((d) => moneyToNumber(d.cost)));
    });
  });

  it('keeps the PoC order and null budget fields for an unbudgeted PoC', () => {
    const json = reportToJson(fixtureReport());
    expect(json.pocs.map((p) => p.poc)).toEqual([
      'checkout-redesign',
      'chatbot-poc',
      'search-relevance',
      'image-tagging',
      'données-clients',
      'pricing-experiment',
      'invoice-ocr',
    ]);
    const unbudgeted = json.pocs.find((p) => p.status === 'unbudgeted');
    expect(unbudgeted?.budget).toBeNull();
    expect(unbudgeted?.budgetUsed).toBeNull();
    // Absent optional fields are omitted, not null.
    for (const key of ['description', 'lifetime', 'start', 'expires', 'policyFile']) {
      expect(Object.hasOwn(unbudgeted ?? {}, key)).toBe(false);
    }
  });

  it('converts alerts, with amount and limit only when present', () => {
    const json = reportToJson(fixtureReport());
    const over = json.alerts.find((a) => a.kind === 'over-budget');
    expect(over).toMatchObject({
      poc: 'checkout-redesign',
      severity: 'critical',
      amount: 152.04,
      limit: 120,
      new: true,
    });
    const expiring = json.alerts.find((a) => a.kind === 'expiring');
    expect(expiring && 'amount' in expiring).toBe(false);
    expect(expiring && 'limit' in expiring).toBe(false);
  });

  it('copies the source, period, warnings and API calls', () => {
    const report = fixtureReport();
    report.source.partial = true;
    report.warnings.push({ code: 'bad-row', message: 'row 12 skipped', where: 'x.csv:12', partial: true });
    report.apiCalls = { GetCostAndUsage: 3 };
    const json = reportToJson(report);
    expect(json.source).toEqual({
      kind: 'focus',
      description: 'sample/focus-2026-11.csv.gz',
      estimated: true,
      partial: true,
      coverage: { first: '2026-09-01', last: '2026-11-18' },
    });
    expect(json.period).toEqual({
      start: '2026-11-01',
      end: '2026-11-19',
      monthEnd: '2026-12-01',
      elapsedDays: 18,
      monthDays: 30,
    });
    expect(json.warnings.at(-1)).toEqual({
      code: 'bad-row',
      message: 'row 12 skipped',
      where: 'x.csv:12',
      partial: true,
    });
    expect(json.apiCalls).toEqual({ GetCostAndUsage: 3 });
    expectValid(JSON.parse(JSON.stringify(json)));
  });

  it('writes null, not Infinity, for the use of a zero budget', () => {
    const report = fixtureReport();
    const poc = report.pocs[0];
    if (!poc?.budget) throw new Error('fixture changed');
    poc.budget.monthly = 0n;
    poc.budgetUsed = Number.POSITIVE_INFINITY;
    const json = roundTrip(report) as { pocs: { budgetUsed: unknown }[] };
    expect(json.pocs[0]?.budgetUsed).toBeNull();
    expectValid(json);
  });

  it('converts recommendations with their money as exact numbers', () => {
    const json = reportToJson(fixtureReport());
    expect(json.recommendations.map((r) => [r.poc, r.reason, r.estimatedMonthlySavings])).toEqual([
      ['chatbot-poc', 'expired', 37.56],
      ['search-relevance', 'idle', 25.55],
    ]);
    const [nat, table] = json.recommendations[0]?.resources ?? [];
    expect(nat).toEqual({
      arn: 'arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0f3c9a7d21e4b5a60',
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: '123456789012',
      idleSince: '2026-11-01',
      window: { start: '2026-11-05', end: '2026-11-19', days: 14 },
      evidence: '0 bytes sent in 14 days (AWS/NATGateway BytesOutToDestination, Sum)',
      monthlyCost: Number(NAT_MONTHLY),
      costSource: 'cost-explorer-resource',
      holdsData: false,
    });
    expect(table).toMatchObject({ type: 'dynamodb:table', monthlyCost: 4.71, holdsData: true });
    // No idle day known: the field is left out, not null.
    const api = json.recommendations[1]?.resources[1];
    expect(api && Object.hasOwn(api, 'idleSince')).toBe(false);

    const exact = fixtureReport();
    const first = exact.recommendations[0];
    const resource = first?.resources[0];
    if (!first || !resource) throw new Error('fixture changed');
    resource.monthlyCost = parseMoney('32.8500023487');
    first.estimatedMonthlySavings = parseMoney('37.5600023487');
    const out = roundTrip(exact) as {
      recommendations: { estimatedMonthlySavings: number; resources: { monthlyCost: number }[] }[];
    };
    expect(out.recommendations[0]?.estimatedMonthlySavings).toBe(37.5600023487);
    expect(out.recommendations[0]?.resources[0]?.monthlyCost).toBe(32.8500023487);
    expectValid(out);
  });

  it('writes the API cost of the run as a number', () => {
    expect(reportToJson(fixtureReport()).apiCost).toBe(0);
    const online = fixtureReport();
    online.apiCalls = { 'ce:GetCostAndUsage': 3, 'cloudwatch:GetMetricData': 2 };
    online.apiCost = parseMoney('0.0402');
    const json = roundTrip(online) as { apiCost: unknown; apiCalls: unknown };
    expect(json.apiCost).toBe(0.0402);
    expect(json.apiCalls).toEqual({ 'ce:GetCostAndUsage': 3, 'cloudwatch:GetMetricData': 2 });
    expectValid(json);
  });

  it('converts pay-per-use budgets, with null for the cost per unit of an unused PoC', () => {
    const report = fixtureReport();
    const json = reportToJson(report);
    expect(json.pocs.find((p) => p.poc === 'image-tagging')?.perUse).toEqual({
      signal: 'AWS/Lambda Invocations (FunctionName=image-tagger)',
      windowDays: 30,
      cost: 45.9,
      usage: 96600,
      per: 1000,
      costPerUnit: 0.4751552795,
      max: 0.4,
      breached: true,
    });
    expect(json.pocs.find((p) => p.poc === 'invoice-ocr')?.perUse?.breached).toBe(false);
    expect(Object.hasOwn(json.pocs.find((p) => p.poc === 'checkout-redesign') ?? {}, 'perUse')).toBe(false);

    const unused = report.pocs.find((p) => p.poc === 'invoice-ocr');
    if (!unused?.perUse) throw new Error('fixture changed');
    unused.perUse = { ...unused.perUse, usage: 0, costPerUnit: undefined, breached: false };
    const out = roundTrip(report) as { pocs: { poc: string; perUse?: { costPerUnit: unknown } }[] };
    expect(out.pocs.find((p) => p.poc === 'invoice-ocr')?.perUse?.costPerUnit).toBeNull();
    expectValid(out);
  });

  it('accepts the per-use alert kind', () => {
    const json = roundTrip(fixtureReport()) as { alerts: { kind: string }[] };
    expect(json.alerts.map((a) => a.kind)).toContain('per-use');
    expectValid(json);
  });

  it('converts any amount with up to 10 decimals exactly', () => {
    const units = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
    fc.assert(
      fc.property(units, (n) => {
        const money = n * 10n ** 8n; // 10 decimals of an 18-decimal Money
        const report = fixtureReport();
        const first = report.pocs[0];
        if (!first) return;
        first.monthToDate = money;
        const out = reportToJson(report).pocs[0]?.monthToDate;
        expect(out).toBe(Number(formatMoneyExact(money)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('reportJsonSchema', () => {
  it('is draft-07 and tied to the report schema version', () => {
    expect(reportJsonSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(reportJsonSchema.properties.schemaVersion.const).toBe(REPORT_SCHEMA_VERSION);
  });

  it('rejects output that breaks the contract', () => {
    const good = roundTrip(fixtureReport()) as Record<string, unknown> & {
      pocs: (Record<string, unknown> & { perUse?: Record<string, unknown> })[];
      alerts: Record<string, unknown>[];
      recommendations: (Record<string, unknown> & { resources: Record<string, unknown>[] })[];
    };
    const tagging = good.pocs.findIndex((p) => p.perUse !== undefined);
    const broken = (change: (json: typeof good) => void) => {
      const copy = structuredClone(good);
      change(copy);
      return validate(copy);
    };
    expect(validate(good)).toBe(true);
    expect(broken((j) => (j.pocs[0] = { ...j.pocs[0], monthToDate: '152.04' }))).toBe(false);
    expect(broken((j) => (j.pocs[0] = { ...j.pocs[0], status: 'fine' }))).toBe(false);
    expect(broken((j) => delete j.pocs[0]?.budget)).toBe(false);
    expect(broken((j) => (j.pocs[0] = { ...j.pocs[0], extra: 1 }))).toBe(false);
    expect(broken((j) => (j.alerts[0] = { ...j.alerts[0], severity: 'urgent' }))).toBe(false);
    expect(broken((j) => (j.asOf = '19/11/2026'))).toBe(false);
    expect(broken((j) => (j.asOf = '2026-13-01'))).toBe(false);
    expect(broken((j) => (j.generatedAt = 'yesterday'))).toBe(false);
    expect(broken((j) => delete j.warnings)).toBe(false);
    // Recommendations, pay-per-use budgets and the API cost are closed and typed too.
    const rec = (change: (r: Record<string, unknown>) => void) =>
      broken((j) => change(j.recommendations[0] ?? {}));
    const resource = (change: (r: Record<string, unknown>) => void) =>
      broken((j) => change(j.recommendations[0]?.resources[1] ?? {}));
    expect(broken((j) => delete j.apiCost)).toBe(false);
    expect(broken((j) => (j.apiCost = '0.04'))).toBe(false);
    expect(rec((r) => (r.reason = 'unused'))).toBe(false);
    expect(rec((r) => (r.note = 'x'))).toBe(false);
    expect(rec((r) => delete r.estimatedMonthlySavings)).toBe(false);
    expect(rec((r) => (r.estimatedMonthlySavings = '37.56'))).toBe(false);
    expect(resource((r) => (r.costSource = 'guess'))).toBe(false);
    expect(resource((r) => delete r.holdsData)).toBe(false);
    expect(resource((r) => (r.idleSince = '2026-11-1'))).toBe(false);
    expect(resource((r) => (r.window = { start: '2026-11-05', end: '2026-11-19' }))).toBe(false);
    expect(broken((j) => delete j.pocs[tagging]?.perUse?.costPerUnit)).toBe(false);
    expect(
      broken((j) => {
        const use = j.pocs[tagging]?.perUse;
        if (use) use.windowDays = 0;
      }),
    ).toBe(false);
    expect(broken((j) => (j.alerts[0] = { ...j.alerts[0], kind: 'per_use' }))).toBe(false);
  });
});
