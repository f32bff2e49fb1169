import { idleFromBillingExport } from '../core/idle/idle-from-billing.js';
import { windowEnding } from '../core/idle/judge-idle.js';
import { recommendTeardowns } from '../core/idle/recommend.js';
import type { IdleScanContext, IdleScanner, IdleScanResult } from './idle-scanner.js';

/** The window an offline scan judges: billing exports show idle NAT gateways within two weeks. */
export const BILLING_IDLE_WINDOW_DAYS = 14;

/**
 * Offline idle detection: a resource that keeps billing for time with no usage-based charge over
 * the window is idle (a NAT gateway billing hours without bytes). Needs the source to have
 * collected per-resource charges (`dataset.resources`); pay-per-use budgets need CloudWatch, so
 * they are reported as not measured.
 */
export class BillingExportScanner implements IdleScanner {
  async scan(context: IdleScanContext): Promise<IdleScanResult> {
    const { policySet, asOf, dataset } = context;
    const { settings } = policySet;
    const result: IdleScanResult = {
      recommendations: [],
      perUse: new Map(),
      alerts: [],
      warnings: [],
      taggedResourceCount: 0,
    };
    const perUsePocs = policySet.policies
      .filter((policy) => policy.budget?.perUse)
      .map((policy) => policy.poc);
    if (perUsePocs.length > 0) {
      result.warnings.push({
        code: 'per-use-not-measured',
        message: `pay-per-use budgets (${perUsePocs.join(', ')}) need usage from CloudWatch: run with --source aws to measure them`,
      });
    }
    if (!dataset.resources) return result;

    const window = windowEnding(asOf, BILLING_IDLE_WINDOW_DAYS);
    const found = idleFromBillingExport(dataset.resources, window, {
      tagKey: settings.tagKey,
      currency: settings.currency,
    });
    result.taggedResourceCount = found.resources.length;
    result.recommendations = recommendTeardowns({
      resources: found.resources,
      judgements: found.judgements,
      policies: policySet.policies,
      expiredPocs: context.expiredPocs,
      protectTag: settings.protectTag,
      ...(settings.exclude ? { exclude: settings.exclude } : {}),
      monthlyCosts: found.monthlyCosts,
      window,
      asOf,
      currency: settings.currency,
    });
    return result;
  }
}
