import type { IsoDate } from '../core/calendar.js';
import { costQueryStart, evaluate } from '../core/evaluate.js';
import type { Report } from '../core/report.js';
import type { PolicySet } from '../policy/model.js';
import type { CostSource, ProgressListener } from '../sources/cost-source.js';
import type { StateStore } from '../state/state-store.js';

export interface GovernanceRunInput {
  source: CostSource;
  policySet: PolicySet;
  asOf: IsoDate;
  state: StateStore;
  now: Date;
  onProgress?: ProgressListener;
}

/**
 * The main job, shared by the CLI and the scheduled Lambda: load costs for the window the policies
 * need, read what was already delivered, evaluate. Delivery is a separate step, so a run that sends
 * nothing records nothing.
 */
export async function runGovernance(input: GovernanceRunInput): Promise<Report> {
  const { policySet, asOf } = input;
  const query = { tagKey: policySet.settings.tagKey, start: costQueryStart(asOf, policySet), end: asOf };
  const dataset = await input.source.load(query, input.onProgress);
  const draft = evaluate({
    asOf,
    generatedAt: input.now.toISOString(),
    policySet,
    dataset,
    source: { kind: input.source.kind, description: input.source.description },
    deliveredAlertIds: new Set(),
  });
  const delivered = await input.state.deliveredAlertIds(draft.alerts.map((alert) => alert.id));
  return { ...draft, alerts: draft.alerts.map((alert) => ({ ...alert, new: !delivered.has(alert.id) })) };
}
