import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { notificationTargets } from '../../app/notify.js';
import { publishTeardownOutcome } from '../../app/teardown-notify.js';
import { runTeardown, TeardownError } from '../../app/teardown-run.js';
import { describeState } from '../../approval/lifecycle.js';
import { ApiMeter } from '../../aws/api-meter.js';
import { awsClientConfig } from '../../aws/aws-clients.js';
import { callerIdentity } from '../../aws/caller-identity.js';
import { SnsPublisher } from '../../delivery/sns-publisher.js';
import { CloudWatchActivityReader } from '../../inventory/cloudwatch-activity.js';
import { apiCallsLabel, apiCostLabel } from '../../report/format.js';
import { AwsClientPool } from '../../teardown/aws-client-pool.js';
import { renderOutcome, renderPlan } from '../../teardown/plan-text.js';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { loadPolicySetOrFail, resolvePoliciesDir } from '../load-policy-set.js';
import type { Output } from '../output.js';
import { openStateStore, STATE_OPTION_HELP } from '../state-option.js';

interface TeardownOptions {
  dryRun?: boolean;
  execute?: boolean;
  policies?: string;
  state?: string;
  by?: string;
  timeout: string;
  notify?: boolean;
}

/** `teardown ID [--dry-run|--execute]`: the plan by default; `--execute` acts on an approved one. */
export function registerTeardownCommand(program: Command, output: Output): void {
  program
    .command('teardown')
    .description(
      'Re-check an approved recommendation against the live account and print the exact teardown plan (the default, a dry run); --execute deletes what passes every check.',
    )
    .argument('<id>', 'recommendation id')
    .option('--dry-run', 'print the plan and change nothing (the default)')
    .option('--execute', 'execute the plan: only for an approved recommendation in an allow-listed account')
    .option('--policies <dir>', 'folder of policy files (default: ./policies)')
    .option('--state <path>', STATE_OPTION_HELP)
    .option('--by <name>', 'who is acting, for the audit trail (default: the OS user)')
    .option(
      '--timeout <minutes>',
      'stop waiting for slow deletions after this long (run again to finish)',
      '60',
    )
    .option('--notify', 'publish the outcome to the alerts topic (settings.notifications)')
    .action(async (id: string, options: TeardownOptions) => {
      output.exitCode = await teardownCommand(id, options, output);
    });
}

async function teardownCommand(id: string, options: TeardownOptions, output: Output): Promise<number> {
  if (options.dryRun && options.execute) {
    throw new CliError('--dry-run and --execute exclude each other', ExitCode.Usage);
  }
  const minutes = Number(options.timeout);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new CliError(`--timeout "${options.timeout}" is not a positive number of minutes`, ExitCode.Usage);
  }
  const execute = options.execute === true;
  const policySet = await loadPolicySetOrFail(resolvePoliciesDir(options.policies, false), output);
  const store = openStateStore(options.state);
  const targets = notificationTargets(policySet.settings.notifications);
  if (options.notify && !targets.alertTopicArn) {
    throw new CliError(
      '--notify needs an alerts topic: set notifications.alertTopicArn in settings.yaml or POCKETWATCH_ALERT_TOPIC_ARN',
      ExitCode.Usage,
    );
  }

  const recorded = await store.getRecommendation(id);
  if (!recorded) {
    throw new CliError(
      `no recommendation with id "${id}" in ${store.location} (see \`pocketwatch recommendations list\`)`,
    );
  }

  const meter = new ApiMeter();
  const identity = await callerIdentity(meter);
  const clients = new AwsClientPool(meter);
  const activity = new CloudWatchActivityReader({ ...awsClientConfig(), meter });
  const publisher = options.notify ? new SnsPublisher({ meter }) : undefined;
  const runId = randomUUID();
  try {
    const result = await runTeardown({
      id,
      mode: execute ? 'execute' : 'dry-run',
      store,
      policySet,
      aws: { clients, activity, account: identity.account },
      actor: options.by ?? osUser(),
      from: 'cli',
      owner: runId,
      deadline: Date.now() + minutes * 60_000,
      onOutcome: (outcome) => {
        if (execute) output.err(renderOutcome(outcome, recorded));
      },
      ...(publisher && targets.alertTopicArn
        ? {
            onFinished: async (finished) => {
              const policy = policySet.policies.find((p) => p.poc === finished.recommendation.poc);
              const sent = await publishTeardownOutcome({
                record: finished,
                owners: policy?.owners ?? [],
                currency: policySet.settings.currency,
                topicArn: targets.alertTopicArn ?? '',
                publisher,
                state: store,
                runId,
                now: new Date(),
                retryCommand: `pocketwatch teardown ${finished.id} --execute`,
              });
              output.err(`outcome notification: ${sent}\n`);
            },
          }
        : {}),
    }).catch((error: unknown) => {
      if (error instanceof TeardownError) throw new CliError(error.message);
      throw error;
    });
    output.out(renderPlan(result.record, result.plan, !execute, policySet.settings.currency));
    // API prices are in USD whatever the billing currency.
    output.err(`AWS calls: ${apiCallsLabel(meter.counts())}; cost ${apiCostLabel(meter.cost(), 'USD')}\n`);
    if (!execute) return ExitCode.Ok;
    if (!result.finished) {
      output.out(
        `Still under way: ${result.pending.join(', ')}. Run \`pocketwatch teardown ${id} --execute\` again to finish.\n`,
      );
      return ExitCode.Partial;
    }
    output.out(`Teardown ${describeState(result.record)}.\n`);
    if (result.record.state === 'done') return ExitCode.Ok;
    return result.record.state === 'partially-done' ? ExitCode.Partial : ExitCode.Error;
  } finally {
    clients.destroy();
    activity.destroy();
    publisher?.destroy();
  }
}

function osUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
