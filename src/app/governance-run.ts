import { suppressed } from '../approval/lifecycle.js';
import type { RecommendationStore } from '../approval/recommendation-store.js';
import type { ApiMeter } from '../aws/api-meter.js';
import type { IsoDate } from '../core/calendar.js';
import type { CostDataset } from '../core/cost-data.js';
import { errorMessage } from '../core/error-message.js';
import { costQueryStart, evaluate } from '../core/evaluate.js';
import { expiredPocs } from '../core/idle/recommend.js';
import type { Report } from '../core/report.js';
import { compareByRisk, orderAlerts } from '../core/report-order.js';
import { riskScore } from '../core/status.js';
import type { PolicySet } from '../policy/model.js';
import { tagActivationWarning } from '../sources/cost-explorer-source.js';
import type { CostSource, ProgressListener } from '../sources/cost-source.js';
import type { StateStore } from '../state/state-store.js';
import type { IdleScanner, IdleScanResult } from './idle-scanner.js';
import { StageRun } from './run-stages.js';

/**
 * The cost source could not be read: nothing can be checked against a budget. The message is the
 * cause's own (it already names the file, line or operation); `cause` keeps the original error.
 */
export class CostsUnavailableError extends Error {
  override readonly name = 'CostsUnavailableError';

  constructor(cause: unknown) {
    super(errorMessage(cause), { cause });
  }
}

export interface GovernanceRunInput {
  source: CostSource;
  policySet: PolicySet;
  asOf: IsoDate;
  state: StateStore;
  now: Date;
  /** Finds idle resources and measures pay-per-use budgets; none means no recommendations. */
  scanner?: IdleScanner;
  /** Counts every AWS call the run makes; its totals go into the report. */
  meter?: ApiMeter;
  onProgress?: ProgressListener;
  /**
   * The recommendation lifecycle: when given, proposals that are rejected or still snoozed are left
   * out of the report, and the rest are recorded as proposed (recording is not a delivery).
   */
  recommendations?: RecommendationStore;
}

/**
 * The main job, shared by the CLI and the scheduled Lambda: load costs for the window the policies
 * need, evaluate, scan for idle resources, and read what was already delivered. Delivery is a
 * separate step, so a run that sends nothing records nothing.
 */
export async function runGovernance(input: GovernanceRunInput): Promise<Report> {
  const { policySet, asOf } = input;
  const query = { tagKey: policySet.settings.tagKey, start: costQueryStart(asOf, policySet), end: asOf };
  // Costs are the one essential input: without them no budget can be checked, so the run fails.
  let dataset: CostDataset;
  try {
    dataset = await input.source.load(query, input.onProgress);
  } catch (error) {
    throw new CostsUnavailableError(error);
  }
  let report = evaluate({
    asOf,
    generatedAt: input.now.toISOString(),
    policySet,
    dataset,
    source: { kind: input.source.kind, description: input.source.description },
    deliveredAlertIds: new Set(),
  });

  const scanner = input.scanner;
  if (scanner) {
    input.onProgress?.({ stage: 'scanning resources', done: 0, unit: 'resources' });
    // The scan fails stage by stage on its own; this catches what is left (the activity cache, a
    // bug), so budgets are still reported and delivered without it.
    let scan: IdleScanResult = {
      recommendations: [],
      perUse: new Map(),
      alerts: [],
      warnings: [],
      taggedResourceCount: 0,
    };
    const stages = new StageRun();
    await stages.run([
      {
        name: 'idle-scan',
        needs: [],
        effect: 'idle scan not done (no recommendations, pay-per-use budgets not measured)',
        run: async () => {
          scan = await scanner.scan({
            policySet,
            asOf,
            dataset,
            expiredPocs: expiredPocs(policySet.policies, asOf),
          });
        },
      },
    ]);
    scan = { ...scan, warnings: [...stages.warnings(), ...scan.warnings] };
    const activation = stages.ok('idle-scan')
      ? tagActivationWarning(dataset, scan.taggedResourceCount, policySet.settings.tagKey)
      : undefined;
    const warnings = [...report.warnings, ...scan.warnings, ...(activation ? [activation] : [])];
    const pocs = report.pocs.map((poc) => {
      const perUse = scan.perUse.get(poc.poc);
      if (!perUse) return poc;
      const status = perUse.breached && poc.status === 'ok' ? 'warning' : poc.status;
      const updated = {
        ...poc,
        perUse,
        status,
        ...(status !== poc.status ? { statusReason: 'cost per use above its maximum' } : {}),
      };
      return { ...updated, risk: riskScore(updated) };
    });
    pocs.sort(compareByRisk);
    let recommendations = scan.recommendations;
    if (input.recommendations) {
      const records = await input.recommendations.listRecommendations();
      recommendations = suppressed(recommendations, new Map(records.map((r) => [r.id, r])), input.now);
      await input.recommendations.recordProposals(recommendations, input.now);
    }
    report = {
      ...report,
      pocs,
      alerts: orderAlerts([...report.alerts, ...scan.alerts.map((alert) => ({ ...alert, new: true }))], pocs),
      recommendations,
      warnings,
      source: { ...report.source, partial: warnings.some((warning) => warning.partial === true) },
    };
  }

  if (input.meter) report = { ...report, apiCalls: input.meter.counts(), apiCost: input.meter.cost() };
  const delivered = await input.state.deliveredAlertIds(report.alerts.map((alert) => alert.id));
  return { ...report, alerts: report.alerts.map((alert) => ({ ...alert, new: !delivered.has(alert.id) })) };
}
