import type { IsoDate } from '../core/calendar.js';
import type { CostDataset, SourceWarning } from '../core/cost-data.js';
import type { Alert, PerUseReport, Recommendation } from '../core/report.js';
import type { PolicySet } from '../policy/model.js';

export interface IdleScanContext {
  policySet: PolicySet;
  asOf: IsoDate;
  /** The costs the run loaded (pay-per-use budgets divide them by use). */
  dataset: CostDataset;
  /** PoCs past their expiry day: all their resources are proposed for teardown. */
  expiredPocs: readonly string[];
}

export interface IdleScanResult {
  recommendations: Recommendation[];
  /** Pay-per-use figures by PoC. */
  perUse: Map<string, PerUseReport>;
  alerts: Omit<Alert, 'new'>[];
  warnings: SourceWarning[];
  /** Resources carrying the PoC tag that the scan saw. */
  taggedResourceCount: number;
}

/**
 * Finds idle resources and measures use: from the live account (Tagging API, CloudWatch, describe
 * calls) or from a billing export's per-resource charges. Either way, the pure core judges.
 */
export interface IdleScanner {
  scan(context: IdleScanContext): Promise<IdleScanResult>;
}
