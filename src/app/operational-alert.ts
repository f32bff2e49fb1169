import { type IsoDate, todayIso } from '../core/calendar.js';
import { errorMessage } from '../core/error-message.js';
import { evaluate } from '../core/evaluate.js';
import type { Alert, Report } from '../core/report.js';
import type { AlertPublisher } from '../delivery/deliver-alerts.js';
import type { PolicySet } from '../policy/model.js';
import type { DeliveryStateStore } from '../state/state-store.js';
import { type NotificationTargets, type NotifyResult, notify } from './notify.js';

/** The alert is about the whole run, not one PoC: this names its audience instead. */
export const OPERATIONAL_ALERT_POC = 'all PoCs';

/**
 * The alert a watchdog that has gone blind sends: costs could not be read, so no budget was
 * checked. Its id holds the day (UTC) it was raised, so however many runs and retries fail that day,
 * the delivery ledger lets one through.
 */
export function costsUnavailableAlert(error: unknown, now: Date): Alert {
  const day = todayIso(now);
  return {
    id: `operational:costs-unavailable:${day}`,
    poc: OPERATIONAL_ALERT_POC,
    kind: 'operational',
    severity: 'critical',
    message: `pocketwatch could not check any budget on ${day}: the costs could not be read (${errorMessage(error)})`,
    date: day,
    new: true,
  };
}

export interface CostsUnavailableNotice {
  error: unknown;
  policySet: PolicySet;
  asOf: IsoDate;
  targets: NotificationTargets;
  state: DeliveryStateStore;
  publisher: AlertPublisher;
  source: Report['source'];
  now: Date;
  runId?: string;
}

/**
 * Sends the operational alert to the alerts topic through the normal delivery path (claimed,
 * published, recorded), in a report that holds nothing else: no PoC figures, no digest.
 */
export async function notifyCostsUnavailable(notice: CostsUnavailableNotice): Promise<NotifyResult> {
  const { targets, now } = notice;
  if (!targets.alertTopicArn) return { sent: [], failed: [], skipped: [] };
  const empty = evaluate({
    asOf: notice.asOf,
    generatedAt: now.toISOString(),
    policySet: notice.policySet,
    dataset: { rows: [], warnings: [], apiCalls: {} },
    source: notice.source,
    deliveredAlertIds: new Set(),
  });
  const report: Report = {
    ...empty,
    source: { ...empty.source, partial: true },
    pocs: [],
    alerts: [costsUnavailableAlert(notice.error, now)],
    recommendations: [],
    warnings: [{ code: 'costs-unavailable', partial: true, message: errorMessage(notice.error) }],
  };
  return notify({
    report,
    targets: { alertTopicArn: targets.alertTopicArn },
    state: notice.state,
    publisher: notice.publisher,
    now,
    ...(notice.runId ? { runId: notice.runId } : {}),
  });
}
