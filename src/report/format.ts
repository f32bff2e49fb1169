/** Display formatting shared by the text, markdown and HTML renderers. */
import type { IsoDate } from '../core/calendar.js';
import { formatCurrency, type Money, percentUsed, roundMoney, sumMoney } from '../core/money.js';
import type { Period } from '../core/period.js';
import type {
  AlertKind,
  PerUseReport,
  PocReport,
  PocStatus,
  Recommendation,
  RecommendedResource,
  ResourceCostSource,
  Severity,
} from '../core/report.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function dateParts(day: IsoDate): { year: number; month: number; day: number } {
  const [year = '0', month = '1', dom = '1'] = day.split('-');
  return { year: Number(year), month: Number(month), day: Number(dom) };
}

/** "November 2026" for the month a period covers. */
export function monthLabel(period: Period): string {
  const { year, month } = dateParts(period.start);
  return `${MONTHS[month - 1] ?? '?'} ${year}`;
}

/** "Nov 18". */
export function shortDate(day: IsoDate): string {
  const { month, day: dom } = dateParts(day);
  return `${(MONTHS[month - 1] ?? '?').slice(0, 3)} ${dom}`;
}

/** "Nov 1–18 (day 18 of 30)", or "Nov 1–30 (complete month)". */
export function periodRangeLabel(period: Period): string {
  const first = shortDate(period.start);
  if (period.elapsedDays <= 0) return `${first} (no days reported yet)`;
  const lastDay = period.start.slice(0, 8) + String(period.elapsedDays).padStart(2, '0');
  const last = dateParts(lastDay).day;
  const range = period.elapsedDays === 1 ? first : `${first}–${last}`;
  const progress =
    period.elapsedDays >= period.monthDays
      ? 'complete month'
      : `day ${period.elapsedDays} of ${period.monthDays}`;
  return `${range} (${progress})`;
}

/** "$1,234.56"; an amount that rounds to zero is "$0.00", never "-$0.00". */
export function money(amount: Money, currency: string): string {
  return formatCurrency(roundsToZero(amount, 2) ? 0n : amount, currency, 2);
}

/** Whether an amount shows as zero at this many decimals. */
export function roundsToZero(amount: Money, decimals = 2): boolean {
  return roundMoney(amount, decimals) === 0n;
}

/** Rounded to whole units, for chart axes and compact labels. */
export function moneyCompact(amount: Money, currency: string): string {
  return formatCurrency(roundsToZero(amount, 0) ? 0n : amount, currency, 0);
}

/** "+$4.10", "-$1.20", "$0.00": a day-over-day change. */
export function signedMoney(amount: Money, currency: string): string {
  const text = money(amount, currency);
  return amount > 0n && !roundsToZero(amount, 2) ? `+${text}` : text;
}

/** "72%", "131%"; floor, so 100% is shown only once the budget is actually used up. */
export function percentLabel(ratio: number): string {
  if (Number.isNaN(ratio)) return '—';
  if (!Number.isFinite(ratio)) return ratio > 0 ? '∞%' : '-∞%';
  return `${percentUsed(ratio)}%`;
}

/** A share of a whole: rounded, with "<1%" for a small but positive share so it never reads as none. */
export function shareLabel(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  // A credit is money back, not a negative share of spend.
  if (ratio < 0) return 'credit';
  if (ratio > 0 && ratio < 0.005) return '<1%';
  return `${Math.round(ratio * 100)}%`;
}

const STATUS_LABELS: Record<PocStatus, string> = {
  ok: 'ok',
  warning: 'warning',
  'over-budget': 'over budget',
  expired: 'expired',
  unbudgeted: 'unbudgeted',
};

export function statusLabel(status: PocStatus): string {
  return STATUS_LABELS[status];
}

const KIND_LABELS: Record<AlertKind, string> = {
  threshold: 'threshold',
  'over-budget': 'over budget',
  forecast: 'forecast',
  'daily-cap': 'daily cap',
  lifetime: 'lifetime budget',
  anomaly: 'anomaly',
  expiring: 'expiring',
  expired: 'expired',
  unbudgeted: 'unbudgeted',
  'per-use': 'cost per use',
  operational: 'pocketwatch itself',
};

export function alertKindLabel(kind: AlertKind): string {
  return KIND_LABELS[kind];
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first; the report's order is kept within a severity. */
export function bySeverity<T extends { severity: Severity }>(alerts: readonly T[]): T[] {
  return alerts
    .map((alert, index) => ({ alert, index }))
    .sort((a, b) => SEVERITY_ORDER[a.alert.severity] - SEVERITY_ORDER[b.alert.severity] || a.index - b.index)
    .map(({ alert }) => alert);
}

/** "trailing 7-day average of $8.40/day", so a reader can judge the forecast. */
export function forecastBasisLabel(basis: PocReport['forecastBasis'], currency: string): string {
  switch (basis.method) {
    case 'complete':
      return 'month complete';
    case 'no-data':
      return 'no data to forecast from';
    case 'trailing-average':
      return `${basis.days}-day average of ${money(basis.dailyRate, currency)}/day`;
  }
}

/** "Oct 28" in the as-of year, "Oct 28, 2025" otherwise. */
export function dayLabel(day: IsoDate, asOf: IsoDate): string {
  return day.slice(0, 4) === asOf.slice(0, 4) ? shortDate(day) : `${shortDate(day)}, ${day.slice(0, 4)}`;
}

/** "1,020"; fractions (a CloudWatch average) keep up to two decimals. */
export function countLabel(count: number): string {
  if (!Number.isFinite(count)) return '—';
  return count.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** "1 resource", "3 resources", "2 PoCs" ("many" when the plural is not just an added s). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${countLabel(count)} ${count === 1 ? one : many}`;
}

// ---------------------------------------------------------------- recommendations

/** The first 8 characters of a recommendation id: enough to tell them apart and to quote one. */
export function shortRecommendationId(id: string): string {
  return [...id].slice(0, 8).join('');
}

export function recommendationReasonLabel(reason: Recommendation['reason']): string {
  return reason === 'expired' ? 'expired' : 'idle';
}

/** Total of the estimated monthly savings of all recommendations. */
export function totalSavings(recommendations: readonly Recommendation[]): Money {
  return sumMoney(recommendations.map((r) => r.estimatedMonthlySavings));
}

const RESOURCE_TYPES: Record<string, string> = {
  'apigateway:apis': 'API Gateway HTTP API',
  'apigateway:restapis': 'API Gateway REST API',
  'dynamodb:table': 'DynamoDB table',
  'ec2:elastic-ip': 'Elastic IP',
  'ec2:instance': 'EC2 instance',
  'ec2:natgateway': 'NAT gateway',
  'ec2:snapshot': 'EBS snapshot',
  'ec2:volume': 'EBS volume',
  'ecs:service': 'ECS service',
  'elasticloadbalancing:loadbalancer': 'Load balancer',
  'es:domain': 'OpenSearch domain',
  'kinesis:stream': 'Kinesis stream',
  'lambda:function': 'Lambda function',
  'rds:cluster': 'RDS cluster',
  'rds:db': 'RDS instance',
  's3:bucket': 'S3 bucket',
  s3: 'S3 bucket',
  'sagemaker:endpoint': 'SageMaker endpoint',
  'sqs:queue': 'SQS queue',
};

/** "NAT gateway" for "ec2:natgateway"; an unknown type is shown as it is. */
export function resourceTypeLabel(type: string): string {
  return RESOURCE_TYPES[type] ?? type;
}

/**
 * The resource part of an ARN, without its type prefix: "nat-0abc…" for
 * "arn:aws:ec2:…:natgateway/nat-0abc…", the function name for a Lambda, the API id for
 * "arn:aws:apigateway:…::/restapis/a1b2c3". Anything that is not an ARN is returned whole.
 */
export function resourceShortId(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return arn;
  const resource = parts.slice(5).join(':');
  if (resource.startsWith('/')) return resource.split('/').filter(Boolean).at(-1) ?? resource;
  const match = /^[^/:]+[/:](.+)$/.exec(resource);
  return match?.[1] ?? resource;
}

const COST_SOURCES: Record<ResourceCostSource, string> = {
  'cost-explorer-resource': 'Cost Explorer',
  'billing-export': 'billing export',
  'price-table': 'list-price estimate',
  unknown: 'cost unknown',
};

/** Where a resource's monthly cost came from, in a few words. */
export function costSourceLabel(source: ResourceCostSource): string {
  return COST_SOURCES[source];
}

/** "$32.85/mo", or "cost unknown" when no source could price the resource. */
export function monthlyCostLabel(resource: RecommendedResource, currency: string): string {
  if (resource.costSource === 'unknown' && resource.monthlyCost === 0n) return 'cost unknown';
  return `${money(resource.monthlyCost, currency)}/mo`;
}

// ---------------------------------------------------------------- cost per use

/** A unit price: cents, or four decimals when it is below ten cents so it never reads as "$0.00". */
export function unitPrice(amount: Money, currency: string): string {
  const small = roundMoney(amount < 0n ? -amount : amount, 2) < 10n ** 17n;
  if (!small || roundsToZero(amount, 4)) return money(amount, currency);
  return formatCurrency(amount, currency, 4);
}

/**
 * What one unit of use is called, read from the metric name of the signal
 * ("AWS/ApiGateway Count (ApiId=…)" counts requests); "uses" when the metric is not a known one.
 */
export function perUseUnit(signal: string, count = 2): string {
  const metric = signal.split('(')[0] ?? '';
  const plural = /\bInvocations\b/.test(metric)
    ? 'invocations'
    : /\b(Count|RequestCount|Requests?)\b/.test(metric)
      ? 'requests'
      : /Messages/.test(metric)
        ? 'messages'
        : /\bExecutions/.test(metric)
          ? 'executions'
          : 'uses';
  return count === 1 ? plural.slice(0, -1) : plural;
}

/** "per 1,000 requests", "per request". */
export function perUnitLabel(perUse: PerUseReport): string {
  const unit = perUseUnit(perUse.signal, perUse.per);
  return perUse.per === 1 ? `per ${unit}` : `per ${countLabel(perUse.per)} ${unit}`;
}

/** "$0.31 per 1,000 requests (max $0.40)"; "no requests in 30 days (max $0.40 per 1,000 requests)". */
export function perUseLabel(perUse: PerUseReport, currency: string): string {
  const max = unitPrice(perUse.max, currency);
  if (perUse.costPerUnit === undefined) {
    return `no ${perUseUnit(perUse.signal)} in ${perUse.windowDays} days (max ${max} ${perUnitLabel(perUse)})`;
  }
  return `${unitPrice(perUse.costPerUnit, currency)} ${perUnitLabel(perUse)} (max ${max})`;
}

/** "96,600 invocations and $45.90 in 30 days". */
export function perUseBasisLabel(perUse: PerUseReport, currency: string): string {
  return `${countLabel(perUse.usage)} ${perUseUnit(perUse.signal, perUse.usage)} and ${money(perUse.cost, currency)} in ${perUse.windowDays} days`;
}

// ---------------------------------------------------------------- the run's own API use

/** "3 × ce:GetCostAndUsage, 2 × cloudwatch:GetMetricData"; "none (offline)" without calls. */
export function apiCallsLabel(apiCalls: Record<string, number>): string {
  const calls = Object.entries(apiCalls).filter(([, count]) => count > 0);
  if (calls.length === 0) return 'none (offline)';
  return calls.map(([operation, count]) => `${countLabel(count)} × ${operation}`).join(', ');
}

/** What the run's API calls cost: "$0.04", "<$0.01" for a positive amount below a cent. */
export function apiCostLabel(amount: Money, currency: string): string {
  if (amount > 0n && roundsToZero(amount, 2)) return `<${money(10n ** 16n, currency)}`;
  return money(amount, currency);
}
