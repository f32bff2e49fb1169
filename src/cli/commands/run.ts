import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { CostsUnavailableError, runGovernance } from '../../app/governance-run.js';
import { notificationTargets, notify } from '../../app/notify.js';
import { notifyCostsUnavailable } from '../../app/operational-alert.js';
import { type RunSetup, SOURCE_SPEC_HELP, SourceSpecError, setupRun } from '../../app/run-setup.js';
import { ApprovalUrlError } from '../../approval/approval-links.js';
import { APPROVAL_KEYS_ENV, type Keyring, KeyringError, keyringFromEnv } from '../../approval/keyring.js';
import { ApiMeter } from '../../aws/api-meter.js';
import { CircuitBreaker } from '../../aws/circuit-breaker.js';
import { isIsoDate, todayIso } from '../../core/calendar.js';
import type { Report, Severity } from '../../core/report.js';
import { SesSender } from '../../delivery/ses-sender.js';
import { SnsPublisher } from '../../delivery/sns-publisher.js';
import type { PolicySet } from '../../policy/model.js';
import { renderHtml } from '../../report/render-html.js';
import { reportToJson } from '../../report/render-json.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { renderText } from '../../report/render-text.js';
import type { ProgressListener } from '../../sources/cost-source.js';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { loadPolicySetOrFail, resolvePoliciesDir } from '../load-policy-set.js';
import type { Output } from '../output.js';
import { type CliStateStore, openStateStore, STATE_OPTION_HELP } from '../state-option.js';

interface RunOptions extends ReportOptions {
  format: 'text' | 'json' | 'markdown';
  out?: string;
  color?: boolean;
  failOn?: Severity;
  notify?: boolean;
}

export function registerRunCommand(program: Command, output: Output): void {
  program
    .command('run')
    .description('Run the governance job: costs per PoC against their budgets, forecast, alerts, digest.')
    .option('--source <spec>', SOURCE_SPEC_HELP, 'sample')
    .option(
      '--policies <dir>',
      'folder of policy files (default: ./policies, or the bundled examples with the sample)',
    )
    .option('--tag-key <key>', 'cost allocation tag that names a PoC (default: settings.tagKey, "poc")')
    .option(
      '--as-of <date>',
      'report the month containing the day before DATE, up to DATE (default: today UTC; the sample has its own)',
    )
    .addOption(
      new Option('--format <format>', 'what to print').choices(['text', 'json', 'markdown']).default('text'),
    )
    .option('--out <dir>', 'also write report.json, digest.md and index.html to DIR')
    .option('--state <path>', STATE_OPTION_HELP)
    .option('--no-color', 'plain text output')
    .addOption(
      new Option('--fail-on <severity>', 'exit 4 when an alert at or above this severity exists').choices([
        'info',
        'warning',
        'critical',
      ]),
    )
    .option(
      '--notify',
      'send new alerts, recommendations and the daily digest (SNS topics and Slack from settings.notifications or POCKETWATCH_* variables); without it nothing leaves the machine',
    )
    .action(async (options: RunOptions) => {
      output.exitCode = await runCommand(options, output);
    });
}

/** What a run could not do without its costs, for `--notify` to report. */
export interface CostsUnavailableFailure {
  error: unknown;
  policySet: PolicySet;
  asOf: string;
  state: CliStateStore;
  source: Report['source'];
}

export interface ReportHooks {
  /** Called before the run fails because the costs could not be read. */
  costsUnavailable?: (failure: CostsUnavailableFailure) => Promise<void>;
}

/** What the run's options select: where costs come from, which policies, which day, which state. */
export interface ReportOptions {
  source: string;
  policies?: string;
  tagKey?: string;
  asOf?: string;
  state?: string;
}

async function runCommand(options: RunOptions, output: Output): Promise<number> {
  const { report, policySet, state } = await produceReport(
    options,
    output,
    options.notify ? { costsUnavailable: (failure) => alertCostsUnavailable(failure, output) } : {},
  );

  const color = options.color !== false && output.color;
  switch (options.format) {
    case 'json':
      output.out(`${JSON.stringify(reportToJson(report), null, 2)}\n`);
      break;
    case 'markdown':
      output.out(renderMarkdown(report));
      break;
    default:
      output.out(renderText(report, { color, width: output.columns }));
  }
  if (options.out) await writeOutputs(options.out, report, output);
  if (options.notify) {
    const delivered = await deliver(report, policySet, state, output);
    if (!delivered) return ExitCode.DeliveryFailed;
  }
  return outcome(report, options.failOn);
}

/** `--notify`: sends what is new; returns false when something stayed unsent. */
async function deliver(
  report: Report,
  policySet: PolicySet,
  state: CliStateStore,
  output: Output,
): Promise<boolean> {
  const targets = notificationTargets(policySet.settings.notifications);
  if (!targets.alertTopicArn && !targets.digestTopicArn && !targets.slackWebhookUrl && !targets.email) {
    throw new CliError(
      '--notify has nowhere to send: set notifications in settings.yaml, or POCKETWATCH_ALERT_TOPIC_ARN, POCKETWATCH_DIGEST_TOPIC_ARN or POCKETWATCH_SLACK_WEBHOOK_URL',
      ExitCode.Usage,
    );
  }
  const keyring = approvalKeyring(targets.approvalUrl, output);
  // A topic that keeps failing is not tried for every remaining message.
  const meter = new ApiMeter({ breaker: new CircuitBreaker() });
  const publisher = new SnsPublisher({ meter });
  const emailSender = targets.email ? new SesSender({ meter }) : undefined;
  try {
    const result = await notify({
      report,
      targets,
      state,
      publisher,
      ...(emailSender ? { emailSender } : {}),
      ...(keyring ? { keyring } : {}),
      now: new Date(),
    }).catch((error: unknown) => {
      if (error instanceof ApprovalUrlError) throw new CliError(error.message, ExitCode.Usage);
      throw error;
    });
    const calls = Object.entries(meter.counts())
      .map(([operation, count]) => `${count} × ${operation}`)
      .join(', ');
    output.err(
      `notified: ${result.sent.length} sent, ${result.skipped.length} already sent, ${result.failed.length} failed${calls ? ` (${calls})` : ''}\n`,
    );
    for (const failure of result.failed) output.err(`not delivered: ${failure.id}: ${failure.error}\n`);
    return result.failed.length === 0;
  } finally {
    publisher.destroy();
    emailSender?.destroy();
  }
}

/**
 * `--notify` when the costs cannot be read: one operational alert a day says that no budget was
 * checked, and why. The run still fails (exit 1): nothing was evaluated.
 */
async function alertCostsUnavailable(failure: CostsUnavailableFailure, output: Output): Promise<void> {
  const targets = notificationTargets(failure.policySet.settings.notifications);
  if (!targets.alertTopicArn) return;
  const publisher = new SnsPublisher({ meter: new ApiMeter() });
  try {
    const result = await notifyCostsUnavailable({ ...failure, targets, publisher, now: new Date() });
    const [sent, skipped] = [result.sent.length, result.skipped.length];
    output.err(
      `notified: operational alert ${sent > 0 ? 'sent' : skipped > 0 ? 'already sent today' : 'not sent'}\n`,
    );
    for (const item of result.failed) output.err(`not delivered: ${item.id}: ${item.error}\n`);
  } finally {
    publisher.destroy();
  }
}

/** The keys that sign approval links, when an approval URL is configured; a warning when they are missing. */
function approvalKeyring(approvalUrl: string | undefined, output: Output): Keyring | undefined {
  if (!approvalUrl) return undefined;
  if (!process.env[APPROVAL_KEYS_ENV]) {
    output.err(`warning: ${APPROVAL_KEYS_ENV} is not set, so messages carry no approval links\n`);
    return undefined;
  }
  try {
    return keyringFromEnv();
  } catch (error) {
    if (error instanceof KeyringError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

/**
 * Loads policies, sets up the source and runs the governance job: the part `run` and `digest`
 * share. Returns the state store too, for commands that deliver.
 */
export async function produceReport(
  options: ReportOptions,
  output: Output,
  hooks: ReportHooks = {},
): Promise<{ report: Report; policySet: PolicySet; state: CliStateStore }> {
  if (options.asOf !== undefined && !isIsoDate(options.asOf)) {
    throw new CliError(`--as-of "${options.asOf}" is not a date (YYYY-MM-DD)`, ExitCode.Usage);
  }
  const isSample = options.source === 'sample';
  const policySet = await loadPolicySetOrFail(resolvePoliciesDir(options.policies, isSample), output);
  if (options.tagKey) policySet.settings.tagKey = options.tagKey;

  const state = openStateStore(options.state);
  let setup: RunSetup;
  try {
    setup = await setupRun(options.source, policySet.settings, state);
  } catch (error) {
    if (error instanceof SourceSpecError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
  const asOf = options.asOf ?? setup.defaultAsOf ?? todayIso();
  let report: Report;
  try {
    report = await runGovernance({
      source: setup.source,
      scanner: setup.scanner,
      ...(setup.meter ? { meter: setup.meter } : {}),
      policySet,
      asOf,
      state,
      recommendations: state,
      now: new Date(),
      ...(output.interactive ? { onProgress: progressLine(output) } : {}),
    });
  } catch (error) {
    if (error instanceof CostsUnavailableError && hooks.costsUnavailable) {
      await hooks.costsUnavailable({
        error: error.cause,
        policySet,
        asOf,
        state,
        source: {
          kind: setup.source.kind,
          description: setup.source.description,
          estimated: false,
          partial: true,
        },
      });
    }
    throw error;
  } finally {
    setup.close();
  }
  if (output.interactive) output.err('\r\x1b[K');
  return { report, policySet, state };
}

async function writeOutputs(dir: string, report: Report, output: Output): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'report.json'), `${JSON.stringify(reportToJson(report), null, 2)}\n`),
    writeFile(join(dir, 'digest.md'), renderMarkdown(report)),
    writeFile(join(dir, 'index.html'), renderHtml(report)),
  ]);
  output.err(`wrote ${join(dir, 'report.json')}, ${join(dir, 'digest.md')}, ${join(dir, 'index.html')}\n`);
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

function outcome(report: Report, failOn: Severity | undefined): number {
  if (failOn && report.alerts.some((alert) => SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[failOn])) {
    return ExitCode.AlertsFound;
  }
  return report.source.partial ? ExitCode.Partial : ExitCode.Ok;
}

function progressLine(output: Output): ProgressListener {
  return ({ stage, done, total, unit }) => {
    const amount = unit === 'bytes' ? `${(done / 1e6).toFixed(0)} MB` : `${done} ${unit}`;
    const of = total ? ` of ${unit === 'bytes' ? `${(total / 1e6).toFixed(0)} MB` : total}` : '';
    const pct = total ? ` ${Math.floor((done / total) * 100)}%` : '';
    output.err(`\r\x1b[K${stage}${pct} (${amount}${of})`);
  };
}
