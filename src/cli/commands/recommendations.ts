import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { Option } from 'commander';
import { APPROVAL_URL_ENV, ApprovalUrlError, signApprovalLinks } from '../../approval/approval-links.js';
import type { ApprovalAction } from '../../approval/approval-token.js';
import { APPROVAL_KEYS_ENV, KeyringError, keyringFromEnv } from '../../approval/keyring.js';
import {
  canTransition,
  describeState,
  type LifecycleEvent,
  type RecommendationRecord,
  transition,
} from '../../approval/lifecycle.js';
import { encodeRecommendationRecord } from '../../approval/recommendation-store.js';
import { isIsoDate } from '../../core/calendar.js';
import { formatMoney } from '../../core/money.js';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { type CliStateStore, isDeployedState, openStateStore, STATE_OPTION_HELP } from '../state-option.js';

const BY_HELP = 'who is acting, for the audit trail (default: the OS user)';

interface StateOption {
  state?: string;
}
interface ActOptions extends StateOption {
  by?: string;
}

/** `recommendations list|show`, `approve`, `reject`, `snooze`: the recommendation lifecycle. */
export function registerRecommendationCommands(program: Command, output: Output): void {
  const group = program
    .command('recommendations')
    .description('List and show teardown recommendations with their state and audit trail.');

  group
    .command('list')
    .description('List recorded recommendations: id, state, PoC, resources and estimated monthly savings.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (options: StateOption & { format: 'text' | 'json' }) => {
      const records = await store(options).listRecommendations();
      if (options.format === 'json') {
        output.out(`${JSON.stringify(records.map(encodeRecommendationRecord), null, 2)}\n`);
        return;
      }
      if (records.length === 0) {
        output.out('No recommendations recorded yet (`pocketwatch run` proposes them).\n');
        return;
      }
      for (const record of records) {
        const { recommendation } = record;
        const count = recommendation.resources.length;
        output.out(
          `${record.id}  ${describeState(record)}  ${recommendation.poc}  ${count} resource${count === 1 ? '' : 's'}  ~${formatMoney(recommendation.estimatedMonthlySavings)}/month  (${recommendation.reason})\n`,
        );
      }
    });

  group
    .command('show')
    .description(
      `Show one recommendation: resources, evidence, savings, state and audit trail; with ${APPROVAL_URL_ENV} and ${APPROVAL_KEYS_ENV} set, also signed approve/reject/snooze links.`,
    )
    .argument('<id>', 'recommendation id')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (id: string, options: StateOption & { format: 'text' | 'json' }) => {
      const record = await find(store(options), id);
      const links = approvalLinks(record, new Date());
      if (options.format === 'json') {
        output.out(
          `${JSON.stringify({ ...encodeRecommendationRecord(record), ...(links ? { links } : {}) }, null, 2)}\n`,
        );
        return;
      }
      output.out(renderRecord(record, links));
    });

  program
    .command('approve')
    .description('Approve a proposed or snoozed recommendation for teardown (recorded with who, when, what).')
    .argument('<id>', 'recommendation id')
    .option('--by <name>', BY_HELP)
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (id: string, options: ActOptions) => {
      await act(id, { kind: 'approve' }, options, output);
    });

  program
    .command('reject')
    .description('Reject a recommendation: this resource set is not proposed again.')
    .argument('<id>', 'recommendation id')
    .requiredOption('--reason <text>', 'why it is rejected (kept in the audit trail)')
    .option('--by <name>', BY_HELP)
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (id: string, options: ActOptions & { reason: string }) => {
      await act(id, { kind: 'reject', reason: options.reason }, options, output);
    });

  program
    .command('snooze')
    .description('Snooze a recommendation: runs leave it out until the given day (UTC).')
    .argument('<id>', 'recommendation id')
    .requiredOption('--until <date>', 'day it is proposed again (YYYY-MM-DD, in the future)')
    .option('--by <name>', BY_HELP)
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (id: string, options: ActOptions & { until: string }) => {
      if (!isIsoDate(options.until)) {
        throw new CliError(`--until "${options.until}" is not a date (YYYY-MM-DD)`, ExitCode.Usage);
      }
      await act(id, { kind: 'snooze', until: options.until }, options, output);
    });
}

function store(options: StateOption): CliStateStore {
  return openStateStore(options.state);
}

async function find(recommendations: CliStateStore, id: string): Promise<RecommendationRecord> {
  const record = await recommendations.getRecommendation(id);
  if (!record) {
    throw new CliError(
      `no recommendation with id "${id}" in ${recommendations.location} (see \`pocketwatch recommendations list\`)`,
    );
  }
  return record;
}

async function act(id: string, event: LifecycleEvent, options: ActOptions, output: Output): Promise<void> {
  const recommendations = store(options);
  const record = await find(recommendations, id);
  const result = transition(record, event, { actor: options.by ?? osUser(), at: new Date(), from: 'cli' });
  if (!result.ok) throw new CliError(result.reason);
  const stored = await recommendations.updateRecommendation(id, record.version, result.record);
  if (!stored)
    throw new CliError(`recommendation ${id} changed while this command ran; look again and retry`);
  const { recommendation } = result.record;
  const count = recommendation.resources.length;
  output.out(
    `${id} (${recommendation.poc}, ${count} resource${count === 1 ? '' : 's'}): ${record.state} → ${describeState(result.record)}\n`,
  );
  if (event.kind === 'approve') {
    output.out(
      isDeployedState(recommendations)
        ? 'The deployed teardown worker takes it at the next daily run; or run `pocketwatch teardown ' +
            `${id} --state ${recommendations.location}\` to see the plan now.\n`
        : `Next: \`pocketwatch teardown ${id}\` prints the plan; --execute acts on it.\n`,
    );
  }
}

function osUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

type Links = Partial<Record<ApprovalAction, string>>;

/**
 * Signed links for the actions allowed now, undefined unless the URL and keyring are configured. They
 * share one nonce, as in a message: one decision spends them all.
 */
function approvalLinks(record: RecommendationRecord, now: Date): Links | undefined {
  const baseUrl = process.env[APPROVAL_URL_ENV];
  if (!baseUrl || !process.env[APPROVAL_KEYS_ENV]) return undefined;
  let signed: Record<ApprovalAction, string>;
  try {
    signed = signApprovalLinks(record, { baseUrl, keyring: keyringFromEnv(), now });
  } catch (error) {
    if (error instanceof KeyringError) throw new CliError(error.message);
    if (error instanceof ApprovalUrlError) throw new CliError(`${APPROVAL_URL_ENV}: ${error.message}`);
    throw error;
  }
  const links: Links = {};
  for (const [action, url] of Object.entries(signed) as [ApprovalAction, string][]) {
    if (canTransition(record.state, action)) links[action] = url;
  }
  return links;
}

function renderRecord(record: RecommendationRecord, links: Links | undefined): string {
  const { recommendation } = record;
  const lines = [
    `Recommendation ${record.id}`,
    `  PoC: ${recommendation.poc} (${recommendation.reason})`,
    `  State: ${describeState(record)}${record.rejectedReason ? ` (reason: ${record.rejectedReason})` : ''}`,
    `  Estimated savings: ${formatMoney(recommendation.estimatedMonthlySavings)}/month`,
    `  Resource set hash: ${record.resourceSetHash}`,
    '  Resources:',
  ];
  for (const resource of recommendation.resources) {
    lines.push(
      `    ${resource.arn}`,
      `      ${resource.type}, ${formatMoney(resource.monthlyCost)}/month (${resource.costSource})${resource.holdsData ? ', holds data' : ''}`,
      `      evidence: ${resource.evidence}`,
    );
    const outcome = record.outcomes?.find((o) => o.arn === resource.arn);
    if (outcome)
      lines.push(`      outcome: ${outcome.outcome}${outcome.detail ? ` (${outcome.detail})` : ''}`);
  }
  lines.push('  Audit trail:');
  for (const entry of record.audit) {
    const detail = [
      entry.reason ? `reason: ${entry.reason}` : '',
      entry.until ? `until ${entry.until}` : '',
      `set ${entry.resourceSetHash.slice(0, 12)}…, ${entry.arns.length} ARN${entry.arns.length === 1 ? '' : 's'}`,
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(
      `    ${entry.at}  ${entry.event} by ${entry.actor} via ${entry.from}: ${entry.fromState ? `${entry.fromState} → ` : ''}${entry.toState} (${detail})`,
    );
  }
  if (links && Object.keys(links).length > 0) {
    lines.push('  Links:');
    for (const [action, url] of Object.entries(links)) lines.push(`    ${action}: ${url}`);
  }
  return `${lines.join('\n')}\n`;
}
