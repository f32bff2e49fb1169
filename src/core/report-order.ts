import type { Alert, PocReport } from './report.js';

/** PoCs by risk, then by spend, then by name: the order every digest shows them in. */
export function compareByRisk(a: PocReport, b: PocReport): number {
  if (a.risk !== b.risk) return b.risk - a.risk;
  if (a.monthToDate !== b.monthToDate) return a.monthToDate > b.monthToDate ? -1 : 1;
  return a.poc.localeCompare(b.poc);
}

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Alerts by severity, then in the order of their PoCs, newest day first. */
export function orderAlerts<A extends Omit<Alert, 'new'>>(
  alerts: readonly A[],
  pocs: readonly PocReport[],
): A[] {
  const order = new Map(pocs.map((report, i) => [report.poc, i]));
  return [...alerts].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (order.get(a.poc) ?? 0) - (order.get(b.poc) ?? 0) ||
      b.date.localeCompare(a.date) ||
      a.id.localeCompare(b.id),
  );
}
