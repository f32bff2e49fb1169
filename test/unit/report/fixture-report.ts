/**
 * A realistic report for renderer tests and the HTML preview: November 2026 as of the 19th (18 days
 * reported), seven PoCs covering every status, alerts of several kinds (new and already sent), a
 * credit day, a PoC two days old, a non-ASCII tag value, unattributed spend and source warnings, two
 * pay-per-use budgets (one breached) and two teardown recommendations: the expired chatbot-poc's NAT
 * gateway and DynamoDB table (which holds data), and an idle Lambda + API left over in
 * search-relevance. The source is an offline billing export, so the run made no API calls.
 *
 * Amounts are built from daily figures so that month-to-date = Σ daily = Σ services, and the totals
 * are the sums of their parts, as the real report builder guarantees.
 */
import { addDaysIso, type IsoDate } from '../../../src/core/calendar.js';
import {
  formatCurrency,
  type Money,
  moneyRatio,
  parseMoney,
  scaleMoney,
  sumMoney,
} from '../../../src/core/money.js';
import { periodFor } from '../../../src/core/period.js';
import {
  type Alert,
  type DailyPoint,
  type PerUseReport,
  type PocReport,
  REPORT_SCHEMA_VERSION,
  type Recommendation,
  type Report,
  type ServiceCost,
} from '../../../src/core/report.js';

export const AS_OF: IsoDate = '2026-11-19';
const PERIOD = periodFor(AS_OF);
const TRAILING_DAYS = 7;
/** Days from the last reported day (exclusive) to month end. */
const REMAINING_DAYS = PERIOD.monthDays - PERIOD.elapsedDays;

/** The RDS cost of checkout-redesign: more decimals than any display shows; JSON must keep them. */
export const EXACT_SERVICE_COST = '40.3543773134';

const m = parseMoney;

/** Daily points from `start`, one per value; the last `estimated` days are flagged estimated. */
function days(start: IsoDate, values: string[], estimated = 2): DailyPoint[] {
  return values.map((value, i) => ({
    date: addDaysIso(start, i),
    cost: m(value),
    estimated: i >= values.length - estimated,
  }));
}

function total(points: readonly DailyPoint[]): Money {
  return sumMoney(points.map((p) => p.cost));
}

/** Services given explicitly, with the last one taking the remainder so they add up to `mtd`. */
function split(mtd: Money, named: [string, string][], rest: string): ServiceCost[] {
  const services = named.map(([service, cost]) => ({ service, cost: m(cost) }));
  services.push({ service: rest, cost: mtd - sumMoney(services.map((s) => s.cost)) });
  return services.sort((a, b) => (a.cost < b.cost ? 1 : a.cost > b.cost ? -1 : 0));
}

function forecast(points: readonly DailyPoint[]): {
  forecastMonthEnd: Money;
  forecastBasis: PocReport['forecastBasis'];
} {
  const mtd = total(points);
  const trailing = points.slice(-TRAILING_DAYS);
  if (trailing.length === 0) {
    return { forecastMonthEnd: mtd, forecastBasis: { method: 'no-data', days: 0, dailyRate: 0n } };
  }
  const dailyRate = scaleMoney(total(trailing), 1n, BigInt(trailing.length));
  return {
    forecastMonthEnd: mtd + dailyRate * BigInt(REMAINING_DAYS),
    forecastBasis: { method: 'trailing-average', days: trailing.length, dailyRate },
  };
}

function change(points: readonly DailyPoint[]): Money {
  const last = points.at(-1);
  const before = points.at(-2);
  if (!last || last.date !== addDaysIso(AS_OF, -1)) return 0n;
  return last.cost - (before && before.date === addDaysIso(AS_OF, -2) ? before.cost : 0n);
}

/** A 30-day pay-per-use budget priced per 1,000 units of use. */
function perUse(signal: string, cost: string, usage: number, max: string): PerUseReport {
  const costPerUnit = scaleMoney(m(cost), 1000n, BigInt(usage));
  return {
    signal,
    windowDays: 30,
    cost: m(cost),
    usage,
    per: 1000,
    costPerUnit,
    max: m(max),
    breached: costPerUnit > m(max),
  };
}

interface PocInput
  extends Omit<PocReport, 'monthToDate' | 'forecastMonthEnd' | 'forecastBasis' | 'services'> {
  services: (mtd: Money) => ServiceCost[];
}

function poc(input: PocInput): PocReport {
  const mtd = total(input.daily);
  return {
    ...input,
    monthToDate: mtd,
    ...forecast(input.daily),
    services: input.services(mtd),
    ...(input.budget && { budgetUsed: moneyRatio(mtd, input.budget.monthly) }),
    changeSinceYesterday: change(input.daily),
  };
}

const checkout = poc({
  poc: 'checkout-redesign',
  status: 'over-budget',
  statusReason: '$32.04 over the monthly budget',
  owners: ['dana@example.com'],
  description: 'One-page checkout with wallet payments, behind a feature flag for 5% of traffic.',
  budget: { monthly: m('120'), dailyCap: m('15'), thresholds: [50, 80, 100] },
  lifetime: { start: '2026-09-01', cost: m('468.52'), complete: true },
  start: '2026-09-01',
  expires: '2027-01-31',
  daily: days('2026-11-01', [
    '5.12',
    '5.40',
    '5.85',
    '6.02',
    '6.31',
    '6.90',
    '7.05',
    '7.44',
    '7.92',
    '8.10',
    '8.65',
    '9.02',
    '9.40',
    '9.88',
    '10.21',
    '16.40',
    '11.02',
    '11.35',
  ]),
  services: (mtd) =>
    split(
      mtd,
      [
        ['Amazon Relational Database Service', EXACT_SERVICE_COST],
        ['Amazon Elastic Container Service', '62.18'],
        ['Amazon CloudFront', '18.4471'],
      ],
      'AWS Lambda',
    ),
  accounts: ['123456789012'],
  changeSinceYesterday: 0n,
  risk: 423.7,
  links: [{ title: 'Experiment brief', url: 'https://wiki.example.com/poc/checkout-redesign' }],
  policyFile: 'policies/checkout-redesign.yaml',
});

const chatbot = poc({
  poc: 'chatbot-poc',
  status: 'expired',
  statusReason: 'past its expiry date',
  owners: ['alex@example.com'],
  description: 'Support chatbot trial. The trial ended with October; its stack was never removed.',
  budget: { monthly: m('60'), thresholds: [50, 80, 100] },
  start: '2026-09-01',
  expires: '2026-10-31',
  daily: days(
    '2026-11-01',
    Array.from({ length: 18 }, (_, i) => (2.02 + ((i * 7) % 5) * 0.013).toFixed(4)),
  ),
  services: (mtd) =>
    split(
      mtd,
      [
        ['EC2 - Other', '19.71'],
        ['Amazon DynamoDB', '2.826'],
      ],
      'Amazon OpenSearch Service',
    ),
  accounts: ['123456789012'],
  changeSinceYesterday: 0n,
  risk: 310.2,
  links: [],
  policyFile: 'policies/chatbot-poc.yaml',
});

const search = poc({
  poc: 'search-relevance',
  status: 'warning',
  statusReason: 'forecast $291.38 exceeds the budget',
  owners: ['lee@example.com', 'priya@example.com'],
  description: 'Re-ranks product search with an LLM; A|B test of click-through against the *current* ranker.',
  budget: { monthly: m('200'), total: m('600'), thresholds: [50, 80, 100] },
  lifetime: { start: '2026-09-10', cost: m('512.31'), budget: m('600'), complete: true },
  start: '2026-09-10',
  expires: '2026-12-15',
  daily: days('2026-11-01', [
    '8.90',
    '9.12',
    '9.05',
    '9.40',
    '9.21',
    '9.66',
    '9.30',
    '9.48',
    '9.71',
    '9.52',
    '9.60',
    '9.83',
    '9.77',
    '9.90',
    '9.85',
    '9.94',
    '10.02',
    '10.11',
  ]),
  services: (mtd) =>
    split(
      mtd,
      [
        ['Amazon Bedrock', '96.4127'],
        ['Amazon OpenSearch Service', '48.75'],
        ['Amazon API Gateway', '8.76'],
        ['AWS Lambda', '6.57'],
      ],
      'Amazon Elastic Compute Cloud - Compute',
    ),
  accounts: ['123456789012', '210987654321'],
  changeSinceYesterday: 0n,
  risk: 214.6,
  links: [
    { title: 'Dashboard', url: 'https://grafana.example.com/d/search-relevance' },
    { title: 'Old runbook', url: 'javascript:alert(document.cookie)' },
  ],
  policyFile: 'policies/search-relevance.yaml',
});

const donnees = poc({
  poc: 'données-clients',
  status: 'unbudgeted',
  statusReason: 'tag value has no policy',
  owners: [],
  daily: days('2026-11-06', [
    '2.80',
    '3.05',
    '3.12',
    '2.98',
    '3.20',
    '3.41',
    '3.18',
    '3.09',
    '3.33',
    '3.27',
    '3.50',
    '3.44',
    '3.39',
  ]),
  services: (mtd) => split(mtd, [['Amazon Simple Storage Service', '12.0034']], 'AWS Glue'),
  accounts: ['210987654321'],
  changeSinceYesterday: 0n,
  risk: 101.6,
  links: [],
});

const imageTagging = poc({
  poc: 'image-tagging',
  status: 'warning',
  statusReason: 'a day spiked above its baseline',
  owners: ['sam@example.com'],
  description: 'Auto-tags catalogue photos with a hosted vision model.',
  budget: { monthly: m('100'), dailyCap: m('10'), thresholds: [50, 80, 100] },
  lifetime: { start: '2026-09-20', cost: m('101.77'), complete: true },
  start: '2026-09-20',
  daily: days('2026-11-01', [
    '1.42',
    '1.51',
    '1.38',
    '1.60',
    '1.47',
    '1.55',
    '1.49',
    '1.52',
    '-3.50',
    '1.58',
    '1.61',
    '1.44',
    '1.57',
    '8.90',
    '1.63',
    '1.59',
    '1.66',
    '1.62',
  ]),
  services: (mtd) => split(mtd, [['Amazon Rekognition', '19.87']], 'Amazon Simple Storage Service'),
  accounts: ['123456789012'],
  changeSinceYesterday: 0n,
  risk: 206.2,
  links: [],
  policyFile: 'policies/image-tagging.yaml',
  perUse: perUse('AWS/Lambda Invocations (FunctionName=image-tagger)', '45.90', 96_600, '0.40'),
});

const pricing = poc({
  poc: 'pricing-experiment',
  status: 'ok',
  statusReason: 'within budget',
  owners: ['joe@example.com'],
  description: 'Dynamic shipping prices, two days old.',
  budget: { monthly: m('40'), thresholds: [80, 100] },
  lifetime: { start: '2026-11-17', cost: m('3.05'), complete: true },
  start: '2026-11-17',
  expires: '2026-12-20',
  daily: days('2026-11-17', ['1.20', '1.85'], 1),
  services: (mtd) => split(mtd, [['AWS Lambda', '0.4172']], 'Amazon DynamoDB'),
  accounts: ['123456789012'],
  changeSinceYesterday: 0n,
  risk: 5.3,
  links: [],
  policyFile: 'policies/team-pocs.yaml',
});

const invoice = poc({
  poc: 'invoice-ocr',
  status: 'ok',
  statusReason: 'within budget',
  owners: ['maria@example.com'],
  description: 'Extracts line items from supplier invoices with Textract.',
  budget: { monthly: m('50'), total: m('150'), thresholds: [50, 80, 100] },
  lifetime: { start: '2026-09-15', cost: m('98.2'), budget: m('150'), complete: true },
  start: '2026-09-15',
  expires: '2027-03-31',
  daily: days(
    '2026-11-01',
    Array.from({ length: 18 }, (_, i) => (0.84 + ((i * 3) % 4) * 0.021).toFixed(3)),
  ),
  services: (mtd) => split(mtd, [['Amazon Textract', '13.9']], 'Amazon Simple Storage Service'),
  accounts: ['123456789012'],
  changeSinceYesterday: 0n,
  risk: 5.2,
  links: [],
  policyFile: 'policies/team-pocs.yaml',
  perUse: perUse('AWS/ApiGateway Count (ApiId=7hq2v0xk1c)', '26.70', 87_412, '0.40'),
});

/** Highest risk first, as the engine orders them. */
const POCS = [checkout, chatbot, search, imageTagging, donnees, pricing, invoice];

const unattributedDaily = days(
  '2026-11-01',
  Array.from({ length: 18 }, (_, i) => (4.31 + ((i * 5) % 7) * 0.07).toFixed(2)),
);

function denseTotal(): DailyPoint[] {
  const out: DailyPoint[] = [];
  for (let day = PERIOD.start; day < PERIOD.end; day = addDaysIso(day, 1)) {
    const points = [...POCS.flatMap((p) => p.daily), ...unattributedDaily].filter((p) => p.date === day);
    out.push({ date: day, cost: total(points), estimated: points.some((p) => p.estimated) });
  }
  return out;
}

/** In the engine's order: severity, then PoC risk, then newest first. */
function alerts(): Alert[] {
  return [
    {
      id: 'checkout-redesign:over-budget:2026-11:100',
      poc: 'checkout-redesign',
      kind: 'over-budget',
      severity: 'critical',
      message: `checkout-redesign is over budget: ${usd(checkout.monthToDate)} of $120.00 (127%) by 2026-11-18; forecast ${usd(checkout.forecastMonthEnd)} by month end`,
      date: '2026-11-18',
      amount: checkout.monthToDate,
      limit: m('120'),
      new: true,
    },
    {
      id: 'chatbot-poc:expired:2026-10-31',
      poc: 'chatbot-poc',
      kind: 'expired',
      severity: 'critical',
      message:
        'chatbot-poc expired on 2026-10-31 and has cost $36.83 since; tear its resources down or extend it',
      date: '2026-11-18',
      amount: chatbot.monthToDate,
      new: false,
    },
    {
      id: 'checkout-redesign:daily-cap:2026-11-16',
      poc: 'checkout-redesign',
      kind: 'daily-cap',
      severity: 'warning',
      message: 'checkout-redesign cost $16.40 on 2026-11-16, over its daily cap of $15.00',
      date: '2026-11-16',
      amount: m('16.40'),
      limit: m('15'),
      new: true,
    },
    {
      id: 'search-relevance:forecast:2026-11',
      poc: 'search-relevance',
      kind: 'forecast',
      severity: 'warning',
      message: `search-relevance is forecast to spend ${usd(search.forecastMonthEnd)} this month, over its $200.00 budget (crossing around 2026-11-22)`,
      date: '2026-11-18',
      amount: search.forecastMonthEnd,
      limit: m('200'),
      new: true,
    },
    {
      id: 'search-relevance:threshold:2026-11:80',
      poc: 'search-relevance',
      kind: 'threshold',
      severity: 'warning',
      message: 'search-relevance has used 86% of its monthly budget: $172.37 of $200.00 (alert level 80%)',
      date: '2026-11-18',
      amount: search.monthToDate,
      limit: m('200'),
      new: false,
    },
    {
      id: 'image-tagging:per-use:2026-11-18',
      poc: 'image-tagging',
      kind: 'per-use',
      severity: 'warning',
      message:
        'image-tagging cost $0.48 per 1,000 invocations over the last 30 days, over its maximum of $0.40',
      date: '2026-11-18',
      amount: imageTagging.perUse?.costPerUnit ?? 0n,
      limit: m('0.40'),
      new: true,
    },
    {
      id: 'image-tagging:anomaly:2026-11-14',
      poc: 'image-tagging',
      kind: 'anomaly',
      severity: 'warning',
      message: 'image-tagging cost $8.90 on 2026-11-14, 5.8× its 14-day median of $1.53',
      date: '2026-11-14',
      amount: m('8.90'),
      limit: m('1.53'),
      new: false,
    },
    {
      id: 'données-clients:unbudgeted:2026-11',
      poc: 'données-clients',
      kind: 'unbudgeted',
      severity: 'warning',
      message: `données-clients has spent ${usd(donnees.monthToDate)} this month and has no policy: add policies/données-clients.yaml with its owners and budget`,
      date: '2026-11-18',
      amount: donnees.monthToDate,
      new: true,
    },
    {
      id: 'pricing-experiment:expiring:2026-12-20',
      poc: 'pricing-experiment',
      kind: 'expiring',
      severity: 'info',
      message: 'pricing-experiment expires on 2026-12-20; extend it or plan the teardown',
      date: '2026-11-18',
      new: false,
    },
  ];
}

/** The NAT gateway's monthly cost, 730 hours at $0.045: what the README's example refers to. */
export const NAT_MONTHLY = '32.85';

function recommendations(): Recommendation[] {
  const chatbotResources = [
    {
      arn: 'arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0f3c9a7d21e4b5a60',
      type: 'ec2:natgateway',
      region: 'us-east-1',
      account: '123456789012',
      idleSince: '2026-11-01',
      window: { start: '2026-11-05', end: '2026-11-19', days: 14 },
      evidence: '0 bytes sent in 14 days (AWS/NATGateway BytesOutToDestination, Sum)',
      monthlyCost: m(NAT_MONTHLY),
      costSource: 'cost-explorer-resource' as const,
      holdsData: false,
    },
    {
      arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/chatbot-sessions',
      type: 'dynamodb:table',
      region: 'us-east-1',
      account: '123456789012',
      idleSince: '2026-10-29',
      window: { start: '2026-11-05', end: '2026-11-19', days: 14 },
      evidence:
        '0 reads and 0 writes in 14 days (AWS/DynamoDB ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits, Sum); 2.3 GB stored',
      monthlyCost: m('4.71'),
      costSource: 'price-table' as const,
      holdsData: true,
    },
  ];
  const searchResources = [
    {
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:rerank-v1',
      type: 'lambda:function',
      region: 'us-east-1',
      account: '123456789012',
      idleSince: '2026-10-12',
      window: { start: '2026-10-20', end: '2026-11-19', days: 30 },
      evidence: '0 invocations in 30 days (AWS/Lambda Invocations, Sum); provisioned concurrency 2',
      monthlyCost: m('10.95'),
      costSource: 'cost-explorer-resource' as const,
      holdsData: false,
    },
    {
      arn: 'arn:aws:apigateway:us-east-1::/restapis/k3x9q2m7za',
      type: 'apigateway:restapis',
      region: 'us-east-1',
      account: '123456789012',
      window: { start: '2026-10-20', end: '2026-11-19', days: 30 },
      evidence: '0 requests in 30 days (AWS/ApiGateway Count, Sum); 0.5 GB cache cluster',
      monthlyCost: m('14.60'),
      costSource: 'price-table' as const,
      holdsData: false,
    },
  ];
  return [
    {
      id: '3f9a2c1b8e4d7a6055c2e1f0b9d83a47',
      poc: 'chatbot-poc',
      reason: 'expired',
      resources: chatbotResources,
      estimatedMonthlySavings: sumMoney(chatbotResources.map((r) => r.monthlyCost)),
    },
    {
      id: 'c07e5d19a2b64f38e1d0a9c7b5f24e61',
      poc: 'search-relevance',
      reason: 'idle',
      resources: searchResources,
      estimatedMonthlySavings: sumMoney(searchResources.map((r) => r.monthlyCost)),
    },
  ];
}

function usd(amount: Money): string {
  return formatCurrency(amount, 'USD');
}

/** A fresh copy each call, so a test may change it freely. */
export function fixtureReport(): Report {
  const unattributedMtd = total(unattributedDaily);
  const unattributedForecast = forecast(unattributedDaily).forecastMonthEnd;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: '2026-11-19T07:02:13.481Z',
    asOf: AS_OF,
    period: { ...PERIOD },
    currency: 'USD',
    tagKey: 'poc',
    source: {
      kind: 'focus',
      description: 'sample/focus-2026-11.csv.gz',
      estimated: true,
      partial: false,
      coverage: { first: '2026-09-01', last: '2026-11-18' },
    },
    total: {
      monthToDate: sumMoney(POCS.map((p) => p.monthToDate)) + unattributedMtd,
      forecastMonthEnd: sumMoney(POCS.map((p) => p.forecastMonthEnd)) + unattributedForecast,
      daily: denseTotal(),
    },
    unattributed: {
      monthToDate: unattributedMtd,
      services: split(
        unattributedMtd,
        [
          ['EC2 - Other', '31.2208'],
          ['Amazon Virtual Private Cloud', '18.61'],
          ['AWS Config', '9.4'],
          ['Amazon CloudWatch', '7.882'],
          ['AWS Key Management Service', '3.0'],
        ],
        'Amazon Simple Storage Service',
      ),
      daily: unattributedDaily,
    },
    pocs: structuredClone(POCS),
    alerts: alerts(),
    recommendations: recommendations(),
    apiCalls: {},
    apiCost: 0n,
    warnings: [
      {
        code: 'late-data',
        message: 'Rows for 2026-11-18 are still arriving; the last day may be incomplete.',
        where: 'sample/focus-2026-11.csv.gz',
      },
      {
        code: 'tag-case',
        message:
          'Tag values "Checkout-Redesign" and "checkout-redesign" differ only in case; both were counted.',
      },
    ],
  };
}
