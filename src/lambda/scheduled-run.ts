import { CostsUnavailableError, runGovernance } from '../app/governance-run.js';
import type { IdleScanner } from '../app/idle-scanner.js';
import { type NotificationTargets, notify } from '../app/notify.js';
import { notifyCostsUnavailable } from '../app/operational-alert.js';
import type { Keyring } from '../approval/keyring.js';
import { awaitingTeardown } from '../approval/queued-teardown.js';
import type { RecommendationStore } from '../approval/recommendation-store.js';
import type { ApiMeter } from '../aws/api-meter.js';
import { todayIso } from '../core/calendar.js';
import { errorMessage } from '../core/error-message.js';
import { formatMoneyExact } from '../core/money.js';
import type { Report } from '../core/report.js';
import type { AlertPublisher } from '../delivery/deliver-alerts.js';
import type { EmailMessage } from '../delivery/ses-sender.js';
import type { PolicySet } from '../policy/model.js';
import type { CostSource } from '../sources/cost-source.js';
import type { DeliveryStateStore } from '../state/state-store.js';
import type { GovernanceRunEvent } from './governance-event.js';
import type { TeardownMessage } from './teardown-message.js';

export interface ScheduledRunDeps {
  policySet: PolicySet;
  source: CostSource;
  /** The idle scan for a daily run: the live account's, or the member accounts' stored results. */
  scanner: IdleScanner;
  meter: ApiMeter;
  state: DeliveryStateStore & RecommendationStore;
  publisher: AlertPublisher;
  emailSender?: { send(message: EmailMessage): Promise<string> };
  targets: NotificationTargets;
  /** Signs the approval links in recommendation messages (to targets.approvalUrl). */
  keyring?: Keyring;
  /**
   * Queues a teardown for the worker. A daily run queues every approved recommendation no worker has
   * started: approvals made on the command line, and any whose queue message was lost.
   */
  queueTeardown?: (message: TeardownMessage) => Promise<void>;
  now: Date;
  runId: string;
}

/** What a run did, for the log line, the EMF record and the function's response. */
export interface ScheduledRunSummary {
  mode: GovernanceRunEvent['mode'];
  asOf: string;
  pocs: number;
  alerts: number;
  newAlerts: number;
  recommendations: number;
  sent: number;
  alreadySent: number;
  failed: Array<{ id: string; error: string }>;
  /** Approved recommendations queued for the teardown worker by this run. */
  teardownsQueued: string[];
  warnings: number;
  partial: boolean;
  apiCalls: Record<string, number>;
  /** What the run's AWS calls cost, in USD, exact. */
  apiCost: string;
}

/**
 * A scheduled run: the governance job, then delivery of what is new, exactly once. A budget check
 * leaves out the idle scan and the digest: it only delivers budget alerts between daily runs.
 */
export async function runScheduledGovernance(
  event: GovernanceRunEvent,
  deps: ScheduledRunDeps,
): Promise<ScheduledRunSummary> {
  const daily = event.mode === 'daily';
  const asOf = event.asOf ?? todayIso(deps.now);
  let report: Report;
  try {
    report = await runGovernance({
      source: deps.source,
      policySet: deps.policySet,
      asOf,
      state: deps.state,
      now: deps.now,
      meter: deps.meter,
      ...(daily ? { scanner: deps.scanner, recommendations: deps.state } : {}),
    });
  } catch (error) {
    // A watchdog that has gone blind says so, once a day; the function still fails (an alarm).
    if (error instanceof CostsUnavailableError) {
      await notifyCostsUnavailable({
        error: error.cause,
        policySet: deps.policySet,
        asOf,
        targets: deps.targets,
        state: deps.state,
        publisher: deps.publisher,
        source: {
          kind: deps.source.kind,
          description: deps.source.description,
          estimated: false,
          partial: true,
        },
        now: deps.now,
        runId: deps.runId,
      });
    }
    throw error;
  }
  const targets: NotificationTargets = daily
    ? deps.targets
    : {
        ...(deps.targets.alertTopicArn ? { alertTopicArn: deps.targets.alertTopicArn } : {}),
        ...(deps.targets.reportUrl ? { reportUrl: deps.targets.reportUrl } : {}),
      };
  const delivery = await notify({
    report,
    targets,
    state: deps.state,
    publisher: deps.publisher,
    ...(daily && deps.emailSender ? { emailSender: deps.emailSender } : {}),
    ...(daily && deps.keyring ? { keyring: deps.keyring } : {}),
    now: deps.now,
    runId: deps.runId,
  });
  const failed = [...delivery.failed];
  const teardownsQueued: string[] = [];
  if (daily && deps.queueTeardown) {
    for (const record of awaitingTeardown(await deps.state.listRecommendations())) {
      try {
        await deps.queueTeardown({ recommendationId: record.id });
        teardownsQueued.push(record.id);
      } catch (error) {
        // A failed run is retried; the worker ignores a teardown queued twice.
        failed.push({
          id: `teardown:${record.id}`,
          error: errorMessage(error),
        });
      }
    }
  }
  return {
    mode: event.mode,
    asOf,
    pocs: report.pocs.length,
    alerts: report.alerts.length,
    newAlerts: report.alerts.filter((alert) => alert.new).length,
    recommendations: report.recommendations.length,
    sent: delivery.sent.length,
    alreadySent: delivery.skipped.length,
    failed,
    teardownsQueued,
    warnings: report.warnings.length,
    partial: report.source.partial,
    apiCalls: report.apiCalls,
    apiCost: formatMoneyExact(report.apiCost),
  };
}

/**
 * Some messages stayed unsent (or a teardown could not be queued): the function fails (an alarm), and
 * the retry sends only what is missing.
 */
export class DeliveryIncompleteError extends Error {
  override readonly name = 'DeliveryIncompleteError';
}

/** Throws DeliveryIncompleteError when a message of the run stayed unsent. */
export function assertDelivered(summary: ScheduledRunSummary): void {
  if (summary.failed.length === 0) return;
  const ids = summary.failed.map((failure) => failure.id).join(', ');
  throw new DeliveryIncompleteError(`${summary.failed.length} message(s) not delivered: ${ids}`);
}
