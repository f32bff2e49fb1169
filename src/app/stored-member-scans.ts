import type { SourceWarning } from '../core/cost-data.js';
import { evaluatePerUse, perUseAlert, perUseWindow } from '../core/idle/per-use.js';
import { sumMoney } from '../core/money.js';
import type { PerUseReport, Recommendation } from '../core/report.js';
import type { MemberScanRecord } from '../state/member-scan-store.js';
import type { IdleScanContext, IdleScanner, IdleScanResult } from './idle-scanner.js';

export interface StoredMemberScansOptions {
  store: { list(runId: string): Promise<MemberScanRecord[]> };
  runId: string;
  /** The accounts the run fanned out to: one without a stored scan was not scanned. */
  accounts: readonly string[];
}

/**
 * The idle scan of an organisation run: the member accounts' scans, each made in its own invocation
 * with a role in that account and stored under the run's id, merged into one result. An account whose
 * scan failed or never finished makes the report partial and is named, never counted as "nothing idle".
 *
 * Member scans see no costs (Cost Explorer is read once, in the management account), so pay-per-use
 * figures are completed here: use summed over the accounts, divided into the PoC's cost from the run's
 * dataset, and judged again.
 */
export class StoredMemberScans implements IdleScanner {
  constructor(private readonly options: StoredMemberScansOptions) {}

  async scan(context: IdleScanContext): Promise<IdleScanResult> {
    const records = new Map(
      (await this.options.store.list(this.options.runId)).map((record) => [record.account, record]),
    );
    const recommendations: Recommendation[] = [];
    const alerts: IdleScanResult['alerts'] = [];
    const warnings: SourceWarning[] = [];
    const usage = new Map<string, { report: PerUseReport; usage: number }>();
    let taggedResourceCount = 0;

    for (const account of this.options.accounts) {
      const record = records.get(account);
      if (!record || record.status === 'failed' || !record.result) {
        const why = record?.error ?? "its scan did not finish (see the state machine's execution)";
        warnings.push({
          code: 'member-scan-failed',
          message: `account ${account} was not scanned: ${why}`,
          partial: true,
        });
        continue;
      }
      const { result } = record;
      recommendations.push(...result.recommendations);
      alerts.push(...result.alerts.filter((alert) => alert.kind !== 'per-use'));
      warnings.push(
        ...result.warnings.map((warning) => ({ ...warning, message: `${account}: ${warning.message}` })),
      );
      taggedResourceCount += result.taggedResourceCount;
      for (const [poc, report] of result.perUse) {
        const seen = usage.get(poc);
        usage.set(poc, { report: seen?.report ?? report, usage: (seen?.usage ?? 0) + report.usage });
      }
    }

    const perUse = new Map<string, PerUseReport>();
    const { settings } = context.policySet;
    for (const policy of context.policySet.policies) {
      const spec = policy.budget?.perUse;
      const measured = usage.get(policy.poc);
      if (!spec || !measured) continue;
      const window = perUseWindow(spec, context.asOf);
      const cost = sumMoney(
        context.dataset.rows
          .filter((row) => row.poc === policy.poc && row.date >= window.start && row.date < window.end)
          .map((row) => row.cost),
      );
      const report = evaluatePerUse(cost, measured.usage, spec, measured.report.signal);
      perUse.set(policy.poc, report);
      const alert = perUseAlert(policy.poc, report, window, settings.currency);
      if (alert) alerts.push(alert);
    }

    return {
      recommendations,
      perUse,
      alerts,
      // A signal found in one account is "not found" in every other: only the unmeasured ones matter.
      warnings: dedupe(
        warnings.filter(
          (warning) =>
            warning.code !== 'per-use-signal' ||
            ![...perUse.keys()].some((poc) => warning.message.includes(`: ${poc}: `)),
        ),
      ),
      taggedResourceCount,
    };
  }
}

function dedupe(warnings: readonly SourceWarning[]): SourceWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = `${warning.code}\n${warning.message.replace(/^\d{12}: /, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
