import type { ExpiryState } from './expiry-alerts.js';
import { formatCurrency, type Money, moneyRatio, percentUsed } from './money.js';
import type { Alert, PocReport, PocStatus } from './report.js';

export interface StatusInput {
  hasPolicy: boolean;
  budget: { monthly: Money; total?: Money } | undefined;
  monthToDate: Money;
  forecast: Money;
  lifetime: { cost: Money; budget?: Money } | undefined;
  expiry: ExpiryState;
  alerts: ReadonlyArray<Pick<Alert, 'kind' | 'severity'>>;
  currency: string;
}

/**
 * One status per PoC, the most urgent that applies: expired > over-budget > unbudgeted > warning > ok.
 * An expired PoC is reported as expired even when within budget, because any spend after expiry is
 * waste; a PoC without a budget cannot be judged against one, so it is unbudgeted.
 */
export function pocStatus(input: StatusInput): { status: PocStatus; reason: string } {
  const money = (amount: Money) => formatCurrency(amount, input.currency);
  if (input.expiry === 'expired') return { status: 'expired', reason: 'past its expiry date' };
  if (!input.hasPolicy) return { status: 'unbudgeted', reason: 'tag value has no policy' };
  const { budget } = input;
  if (!budget) return { status: 'unbudgeted', reason: 'policy sets no budget' };
  if (input.monthToDate > budget.monthly) {
    return {
      status: 'over-budget',
      reason: `${money(input.monthToDate - budget.monthly)} over the monthly budget`,
    };
  }
  if (input.lifetime?.budget !== undefined && input.lifetime.cost > input.lifetime.budget) {
    return { status: 'over-budget', reason: 'over the lifetime budget' };
  }
  const kinds = new Set(input.alerts.filter((alert) => alert.severity !== 'info').map((alert) => alert.kind));
  if (kinds.has('forecast'))
    return { status: 'warning', reason: `forecast ${money(input.forecast)} exceeds the budget` };
  if (kinds.has('threshold')) {
    return {
      status: 'warning',
      reason: `${percentUsed(moneyRatio(input.monthToDate, budget.monthly))}% of the monthly budget used`,
    };
  }
  if (kinds.has('anomaly')) return { status: 'warning', reason: 'a day spiked above its baseline' };
  if (kinds.has('daily-cap')) return { status: 'warning', reason: 'a day went over the daily cap' };
  if (kinds.has('lifetime')) return { status: 'warning', reason: 'lifetime budget threshold reached' };
  if (input.expiry === 'expiring') return { status: 'warning', reason: 'expires soon' };
  return { status: 'ok', reason: 'within budget' };
}

const STATUS_WEIGHT: Record<PocStatus, number> = {
  'over-budget': 400,
  expired: 300,
  warning: 200,
  unbudgeted: 100,
  ok: 0,
};

/**
 * Orders PoCs for the digest: status first, then how far the forecast runs past the budget (or, with
 * no budget, the size of the spend), so the PoC that needs attention most comes first.
 */
export function riskScore(
  report: Pick<PocReport, 'status' | 'forecastMonthEnd' | 'monthToDate' | 'budget'>,
): number {
  const base = STATUS_WEIGHT[report.status];
  const pressure = report.budget
    ? moneyRatio(report.forecastMonthEnd, report.budget.monthly)
    : Math.log10(1 + Number(report.monthToDate / 10n ** 18n));
  return base + Math.min(99, Number.isFinite(pressure) ? pressure * 10 : 99);
}
