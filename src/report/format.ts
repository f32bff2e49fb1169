/** Display formatting shared by the text, markdown and HTML renderers. */
import type { IsoDate } from '../core/calendar.js';
import { formatCurrency, type Money, percentUsed, roundMoney } from '../core/money.js';
import type { Period } from '../core/period.js';
import type { AlertKind, PocReport, PocStatus, Severity } from '../core/report.js';

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

/** A one-line description of a recommendation of unknown shape, if it carries one. */
export function recommendationText(recommendation: unknown): string | undefined {
  if (typeof recommendation === 'string') return recommendation;
  if (recommendation === null || typeof recommendation !== 'object') return undefined;
  const record = recommendation as Record<string, unknown>;
  for (const key of ['message', 'summary', 'title', 'description']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') {
      const poc = typeof record.poc === 'string' ? `${record.poc}: ` : '';
      return poc + value;
    }
  }
  return undefined;
}
