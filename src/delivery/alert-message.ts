/**
 * One alert or teardown recommendation as an SNS message: an ASCII email subject, a plain-text body
 * (what happened, how much, since when, the forecast, what to do next, who owns it), an AWS Chatbot
 * custom notification, and message attributes for subscription filter policies.
 *
 * Published with `MessageStructure: 'json'`: email and any protocol not listed get the plain text
 * (`default`, `email`); `https` (AWS Chatbot subscribes over https), `sqs` and `lambda` get the
 * Chatbot JSON, whose `metadata.additionalContext` also carries the alert's fields for code.
 */
import { createHash } from 'node:crypto';
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import { describeState, type OutcomeKind, type RecommendationRecord } from '../approval/lifecycle.js';
import { addDaysIso, daysBetween, type IsoDate } from '../core/calendar.js';
import {
  formatCurrency,
  formatMoney,
  formatMoneyExact,
  type Money,
  moneyRatio,
  sumMoney,
} from '../core/money.js';
import type {
  Alert,
  PocReport,
  Recommendation,
  RecommendedResource,
  Report,
  Severity,
} from '../core/report.js';
import { cleanText } from '../report/clean-text.js';
import {
  alertKindLabel,
  costSourceLabel,
  dayLabel,
  forecastBasisLabel,
  money,
  monthlyCostLabel,
  percentLabel,
  periodRangeLabel,
  perUseBasisLabel,
  perUseLabel,
  recommendationReasonLabel,
  resourceShortId,
  resourceTypeLabel,
  shareLabel,
  shortRecommendationId,
  statusLabel,
  unitPrice,
} from '../report/format.js';
import { safeLinkUrl } from '../report/safe-url.js';

/** SNS's limit on one message, body and message attributes together (bytes of UTF-8). */
export const SNS_MESSAGE_LIMIT_BYTES = 262_144;
/** SNS subjects must be shorter than 100 characters. */
export const SUBJECT_MAX_CHARS = 99;
const SUBJECT_PREFIX = '[pocketwatch] ';
/** Top services listed in an alert; resources listed in the chat card before "N more". */
const TOP_SERVICES = 5;
/** The metadata values of the Chatbot card are labels, not documents. */
const CONTEXT_VALUE_MAX = 256;
const RELATED_RESOURCES_MAX = 20;
/** List entries in the chat card; the email keeps them all (size permitting). */
const CHAT_DETAILS_MAX = 24;
/**
 * Limits for the Chatbot card. The documentation names the fields but not all their limits: these are
 * the digest renderer's (chatbot-message.ts), so that both kinds of card behave alike.
 */
const CHATBOT_LIMITS = {
  /** Exclusive, in characters. */
  description: 8000,
  title: 250,
  summary: 250,
  nextSteps: 5,
  keywords: 5,
  keyword: 30,
} as const;

/** What is published for one alert or recommendation. */
export interface AlertMessage {
  /** ASCII, under 100 characters, one line: SNS's rules for the email subject. */
  subject: string;
  /** Plain text, for email and every protocol without its own body. */
  body: string;
  /** An AWS Chatbot (Amazon Q Developer in chat applications) custom notification, as JSON. */
  chatbot: string;
  /** `poc`, `severity`, `kind`, `owner`: String attributes for subscription filter policies. */
  attributes: Record<string, MessageAttributeValue>;
}

/** Links a recommendation's message offers for acting on it, once approval exists. */
export interface ApprovalLinks {
  approve: string;
  reject: string;
  snooze: string;
}

export interface RecommendationMessageOptions {
  approvalLinks?: ApprovalLinks;
}

/** The message for one alert of `report`. */
export function alertMessage(alert: Alert, report: Report): AlertMessage {
  const poc = report.pocs.find((candidate) => candidate.poc === alert.poc);
  const facts = kindFacts(alert, poc, report);
  const lines: Line[] = [plain(alert.message), blank()];
  lines.push(fact('PoC', poc ? `${alert.poc} (${statusLabel(poc.status)}: ${poc.statusReason})` : alert.poc));
  lines.push(fact('Severity', `${alert.severity} (${alertKindLabel(alert.kind)})`));
  lines.push(...facts.lines);
  if (facts.since) lines.push(fact('Since', facts.since));
  if (poc && facts.forecast !== false) lines.push(...forecastLines(poc, report));
  if (poc && facts.services !== false) lines.push(...serviceLines(poc, report.currency));
  lines.push(...stepLines(facts.steps));
  lines.push(...ownerLines(poc, alert.poc));
  lines.push(blank(), footer(`Alert ${alert.id}`, report));

  const owner = poc?.owners[0];
  const headline = `${alert.poc} ${facts.headline}`;
  return fitMessage({
    subjectWhat: facts.subject,
    subjectPoc: alert.poc,
    title: `${SEVERITY_EMOJI[alert.severity]} ${headline}`,
    lines,
    chat: {
      id: alert.id,
      keywords: [alert.poc, alertKindLabel(alert.kind), alert.severity],
      threadId: `pocketwatch:${alert.poc}`,
      summary: headline,
      eventType: `pocketwatch.alert.${alert.kind}`,
      relatedResources: [],
      context: {
        type: 'alert',
        alertId: alert.id,
        poc: alert.poc,
        kind: alert.kind,
        severity: alert.severity,
        date: alert.date,
        asOf: report.asOf,
        currency: report.currency,
        ...(alert.amount !== undefined ? { amount: formatMoneyExact(alert.amount) } : {}),
        ...(alert.limit !== undefined ? { limit: formatMoneyExact(alert.limit) } : {}),
        owners: poc?.owners.join(', ') || 'none',
      },
    },
    attributes: { poc: alert.poc, severity: alert.severity, kind: alert.kind, owner: owner ?? 'none' },
  });
}

/** The message for one teardown recommendation of `report`. */
export function recommendationMessage(
  recommendation: Recommendation,
  report: Report,
  options: RecommendationMessageOptions = {},
): AlertMessage {
  const { currency } = report;
  const poc = report.pocs.find((candidate) => candidate.poc === recommendation.poc);
  const count = recommendation.resources.length;
  const reason = recommendationReasonLabel(recommendation.reason);
  const savings = money(recommendation.estimatedMonthlySavings, currency);
  const holdingData = recommendation.resources.filter((resource) => resource.holdsData);
  const nouns = `${count} ${reason} resource${count === 1 ? '' : 's'}`;
  const why =
    recommendation.reason === 'expired'
      ? `${recommendation.poc} is past its expiry date${poc?.expires ? ` (${poc.expires})` : ''} and still has ${count} resource${count === 1 ? '' : 's'}`
      : `${recommendation.poc} has ${nouns}`;

  const lines: Line[] = [
    plain(`${why}: tearing ${count === 1 ? 'it' : 'them'} down would save about ${savings} a month.`),
    blank(),
    fact(
      'PoC',
      poc ? `${recommendation.poc} (${statusLabel(poc.status)}: ${poc.statusReason})` : recommendation.poc,
    ),
    fact('Estimated savings', `${savings}/mo`),
  ];
  if (holdingData.length > 0) {
    lines.push(fact('Holds data', `${holdingData.length} of ${count} (back up or snapshot before deleting)`));
  }
  lines.push(plain('Resources:', `*Resources:*`));
  for (const resource of recommendation.resources) lines.push(...resourceLines(resource, report));

  const policy = poc?.policyFile;
  const steps: Step[] = [];
  const links = options.approvalLinks;
  const approve = links && safeLinkUrl(links.approve);
  const reject = links && safeLinkUrl(links.reject);
  const snooze = links && safeLinkUrl(links.snooze);
  if (approve) steps.push(link('Approve the teardown', approve));
  if (reject) steps.push(link('Reject it (keep the resources)', reject));
  if (snooze) steps.push(link('Snooze it (ask again later)', snooze));
  if (!approve) {
    steps.push(step('Check the evidence above with the owners: is anything still needed?'));
  }
  if (holdingData.length > 0) {
    steps.push(
      step(`Snapshot or back up the ${holdingData.length} resource(s) that hold data before deleting.`),
    );
  }
  steps.push(
    step(
      recommendation.reason === 'expired'
        ? `Still needed? Extend \`expires\` in ${policy ?? 'the PoC policy'} instead.`
        : `To keep a resource, add its ARN to \`exclude\` in ${policy ?? 'the PoC policy'}.`,
    ),
  );
  lines.push(...stepLines(steps));
  lines.push(...ownerLines(poc, recommendation.poc));
  lines.push(blank(), footer(`Recommendation ${shortRecommendationId(recommendation.id)}`, report));

  const severity: Severity = recommendation.reason === 'expired' ? 'warning' : 'info';
  const what = `${count} ${reason} resource${count === 1 ? '' : 's'} to tear down, saves ${subjectMoney([recommendation.estimatedMonthlySavings], currency)[0]}/mo`;
  const headline = `${recommendation.poc}: ${nouns} to tear down, saves ${savings}/mo`;
  return fitMessage({
    subjectWhat: what,
    subjectPoc: `${recommendation.poc}:`,
    title: `:broom: ${headline}`,
    lines,
    chat: {
      id: `recommendation:${recommendation.id}`,
      keywords: [recommendation.poc, 'teardown', reason],
      threadId: `pocketwatch:${recommendation.poc}`,
      summary: headline,
      eventType: 'pocketwatch.recommendation',
      relatedResources: recommendation.resources.map((resource) => resource.arn),
      context: {
        type: 'recommendation',
        recommendationId: recommendation.id,
        poc: recommendation.poc,
        reason: recommendation.reason,
        resources: String(count),
        estimatedMonthlySavings: formatMoneyExact(recommendation.estimatedMonthlySavings),
        currency,
        asOf: report.asOf,
        owners: poc?.owners.join(', ') || 'none',
      },
    },
    attributes: {
      poc: recommendation.poc,
      severity,
      kind: 'recommendation',
      owner: poc?.owners[0] ?? 'none',
    },
  });
}

/** What a finished teardown reports: the record after `finish`, and who owns the PoC. */
export interface TeardownReport {
  record: RecommendationRecord;
  owners: readonly string[];
  currency: string;
  /** The command that retries what is left, for the next steps. */
  retryCommand: string;
}

const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  deleted: 'deleted',
  'already-gone': 'already gone',
  kept: 'kept',
  skipped: 'skipped',
  failed: 'failed',
};

/** The message for a finished teardown: what happened to each resource of the approved set. */
export function teardownMessage(teardown: TeardownReport): AlertMessage {
  const { record, owners, currency } = teardown;
  const { recommendation } = record;
  const outcomes = record.outcomes ?? [];
  const counts = (Object.keys(OUTCOME_LABELS) as OutcomeKind[])
    .map((kind) => [kind, outcomes.filter((outcome) => outcome.outcome === kind).length] as const)
    .filter(([, count]) => count > 0);
  const tally = counts.map(([kind, count]) => `${count} ${OUTCOME_LABELS[kind]}`).join(', ');
  const approval = [...record.audit].reverse().find((entry) => entry.event === 'approve');
  const state = describeState(record);
  const deleted = new Set(
    outcomes.filter((outcome) => outcome.outcome === 'deleted').map((outcome) => outcome.arn),
  );
  const saved = sumMoney(
    recommendation.resources
      .filter((resource) => deleted.has(resource.arn))
      .map((resource) => resource.monthlyCost),
  );
  const lines: Line[] = [
    plain(
      `The approved teardown of ${recommendation.poc} finished ${state}: ${tally || 'nothing to do'}. It saves about ${money(saved, currency)} a month.`,
    ),
    blank(),
    fact('PoC', recommendation.poc),
    fact('Recommendation', `${record.id} (${recommendationReasonLabel(recommendation.reason)})`),
  ];
  if (approval)
    lines.push(fact('Approved', `by ${approval.actor} via ${approval.from} on ${approval.at.slice(0, 10)}`));
  lines.push(plain('Resources:', '*Resources:*'));
  for (const outcome of outcomes) {
    const resource = recommendation.resources.find((candidate) => candidate.arn === outcome.arn);
    const type = resourceTypeLabel(resource?.type ?? '');
    const id = resourceShortId(outcome.arn);
    const label = OUTCOME_LABELS[outcome.outcome];
    lines.push(
      detail(
        `- ${label}: ${type} ${id}${outcome.detail ? ` (${outcome.detail})` : ''}`,
        `• *${esc(label)}*: ${esc(type)} \`${esc(id)}\`${outcome.detail ? ` (${esc(outcome.detail)})` : ''}`,
      ),
    );
  }
  const steps: Step[] = [];
  if (outcomes.some((outcome) => outcome.outcome === 'failed')) {
    steps.push(
      step(`Fix what failed, then run \`${teardown.retryCommand}\` to finish: it retries only what is left.`),
    );
  }
  if (outcomes.some((outcome) => outcome.outcome === 'skipped')) {
    steps.push(step('Skipped resources failed a safety check and were not touched: see why above.'));
  }
  if (outcomes.some((outcome) => outcome.kept)) {
    steps.push(
      step('Final snapshots and backups are kept and cost storage: delete them when no longer needed.'),
    );
  }
  if (steps.length > 0) lines.push(...stepLines(steps));
  lines.push(blank(), fact('Owners', owners.length > 0 ? owners.join(', ') : 'none listed'));

  const severity: Severity = record.state === 'done' ? 'info' : 'warning';
  const headline = `${recommendation.poc}: teardown ${state}, ${tally || 'nothing to do'}`;
  return fitMessage({
    subjectWhat: `teardown ${state}: ${tally || 'nothing to do'}`,
    subjectPoc: recommendation.poc,
    title: `:broom: ${headline}`,
    lines,
    chat: {
      id: `teardown:${record.id}`,
      keywords: [recommendation.poc, 'teardown', record.state],
      threadId: `pocketwatch:${recommendation.poc}`,
      summary: headline,
      eventType: 'pocketwatch.teardown',
      relatedResources: outcomes.map((outcome) => outcome.arn),
      context: {
        type: 'teardown',
        recommendationId: record.id,
        poc: recommendation.poc,
        state: record.state,
        outcomes: tally,
        owners: owners.join(', ') || 'none',
      },
    },
    attributes: { poc: recommendation.poc, severity, kind: 'teardown', owner: owners[0] ?? 'none' },
  });
}

/**
 * The SNS Publish input for `message`: one JSON Message with a body per protocol. On a FIFO topic
 * (`.fifo`) the message is grouped by PoC and deduplicated by `deduplicationId` (SNS drops a repeat
 * within 5 minutes), which closes the window where a send that timed out is retried.
 */
export function publishInput(
  message: AlertMessage,
  topicArn: string,
  options: { deduplicationId?: string } = {},
): PublishCommandInput {
  const input: PublishCommandInput = {
    TopicArn: topicArn,
    Subject: message.subject,
    MessageStructure: 'json',
    Message: structuredMessage(message.body, message.chatbot),
    MessageAttributes: message.attributes,
  };
  if (topicArn.endsWith('.fifo')) {
    input.MessageGroupId = fifoToken(message.attributes.poc?.StringValue ?? 'pocketwatch');
    if (options.deduplicationId) input.MessageDeduplicationId = fifoToken(options.deduplicationId);
  }
  const size = publishSize(input);
  if (size >= SNS_MESSAGE_LIMIT_BYTES) {
    throw new RangeError(
      `the SNS message is ${size} bytes with its attributes; SNS takes less than ${SNS_MESSAGE_LIMIT_BYTES}`,
    );
  }
  return input;
}

/** Bytes SNS counts against its limit: the Message and the message attributes (and the subject). */
export function publishSize(input: PublishCommandInput): number {
  let size = utf8Bytes(input.Message ?? '') + utf8Bytes(input.Subject ?? '');
  for (const [name, value] of Object.entries(input.MessageAttributes ?? {})) {
    size += utf8Bytes(name) + utf8Bytes(value.DataType ?? '') + utf8Bytes(value.StringValue ?? '');
    size += value.BinaryValue?.byteLength ?? 0;
  }
  return size;
}

/**
 * ASCII for an email subject: accents dropped (é → e), common letters and punctuation spelled out
 * (ß → ss, “ → "), anything else (カード) replaced by one "?" per run, line breaks and control
 * characters gone, spaces collapsed.
 */
export function toAscii(text: string): string {
  const spelled = [...clean(text)].map((char) => SPELLED[char] ?? char).join('');
  return spelled
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\x20-\x7e]+/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "[pocketwatch] <poc> <what>", ASCII and under 100 characters; a long PoC name is shortened first. */
export function subjectLine(poc: string, what: string): string {
  const name = toAscii(poc) || '?';
  const rest = toAscii(what);
  const room = SUBJECT_MAX_CHARS - SUBJECT_PREFIX.length - (rest ? rest.length + 1 : 0);
  const shortName = name.length <= room ? name : `${name.slice(0, Math.max(room - 3, 8))}...`;
  const subject = `${SUBJECT_PREFIX}${shortName}${rest ? ` ${rest}` : ''}`;
  return subject.length <= SUBJECT_MAX_CHARS ? subject : `${subject.slice(0, SUBJECT_MAX_CHARS - 3)}...`;
}

// ---------------------------------------------------------------- per kind

interface Step {
  text: string;
  markdown: string;
}

interface KindFacts {
  /** After the PoC name in the chat title: "over budget: $152.04 of $120.00". */
  headline: string;
  /** After the PoC name in the subject (made ASCII there): "over budget: $152 of $120". */
  subject: string;
  lines: Line[];
  since?: string;
  steps: Step[];
  /** Whether the month-end forecast and the top services help here (default yes). */
  forecast?: boolean;
  services?: boolean;
}

function kindFacts(alert: Alert, poc: PocReport | undefined, report: Report): KindFacts {
  const { currency } = report;
  const fmt = (amount: Money) => money(amount, currency);
  const amount = alert.amount;
  const limit = alert.limit ?? poc?.budget?.monthly;
  const pair = (a: Money | undefined, b: Money | undefined) => {
    const [x = '?', y = '?'] = subjectMoney([a ?? 0n, b ?? 0n], currency);
    return `${a === undefined ? '?' : x} of ${b === undefined ? '?' : y}`;
  };
  const policy = poc?.policyFile ?? `policies/${alert.poc}.yaml`;
  const day = dayLabel(alert.date, report.asOf);
  const top = poc?.services[0];
  const topStep = top
    ? step(
        `Look at the top services: ${top.service} is ${shareLabel(moneyRatio(top.cost, poc?.monthToDate ?? 0n))} of this month's spend (${fmt(top.cost)}).`,
      )
    : step('Look at the services behind the spend in the report.');
  const monthToDate = poc?.budget
    ? [
        fact(
          'Month to date',
          `${fmt(poc.monthToDate)} of the ${fmt(poc.budget.monthly)} monthly budget (${percentLabel(moneyRatio(poc.monthToDate, poc.budget.monthly))}), ${periodRangeLabel(report.period)}`,
        ),
      ]
    : poc
      ? [fact('Month to date', `${fmt(poc.monthToDate)}, ${periodRangeLabel(report.period)}`)]
      : [];

  switch (alert.kind) {
    case 'over-budget': {
      const crossed = poc?.budget ? firstDayOver(poc, poc.budget.monthly, false) : undefined;
      return {
        headline: `over budget: ${fmt(amount ?? 0n)} of ${fmt(limit ?? 0n)}`,
        subject: `over budget: ${pair(amount, limit)}`,
        lines: monthToDate,
        ...(crossed
          ? { since: `${dayLabel(crossed, report.asOf)} (the day month-to-date spend passed the budget)` }
          : {}),
        steps: [
          topStep,
          step('Stop or scale down what the PoC no longer needs; the report lists idle resources.'),
          step(`If the spend is planned, raise \`budget.monthly\` in ${policy}.`),
        ],
      };
    }
    case 'threshold': {
      const level = thresholdLevel(alert, poc);
      const crossed =
        poc?.budget && level !== undefined
          ? firstDayOver(poc, (poc.budget.monthly * BigInt(Math.round(level * 100))) / 10_000n, true)
          : undefined;
      const used = amount !== undefined && limit ? percentLabel(moneyRatio(amount, limit)) : '?';
      return {
        headline: `has used ${used} of its budget: ${fmt(amount ?? 0n)} of ${fmt(limit ?? 0n)}`,
        subject: `at ${used} of budget: ${pair(amount, limit)}`,
        lines: monthToDate,
        ...(crossed && level !== undefined
          ? { since: `${dayLabel(crossed, report.asOf)} (the day spend reached ${level}% of the budget)` }
          : {}),
        steps: [
          topStep,
          step('If the spend is not expected, scale down now, before the budget runs out.'),
          step(`If it is, raise \`budget.monthly\` in ${policy}.`),
        ],
      };
    }
    case 'forecast':
      return {
        headline: `forecast over budget: ${fmt(amount ?? 0n)} of ${fmt(limit ?? 0n)}`,
        subject: `forecast over budget: ${pair(amount, limit)}`,
        lines: monthToDate,
        steps: [
          topStep,
          step(
            poc
              ? `At ${fmt(poc.forecastBasis.dailyRate)}/day the month ends at ${fmt(poc.forecastMonthEnd)}: scale down now to stay within ${fmt(limit ?? 0n)}.`
              : 'Scale down now to stay within the budget.',
          ),
          step(`If the spend is planned, raise \`budget.monthly\` in ${policy}.`),
        ],
      };
    case 'daily-cap':
      return {
        headline: `over its daily cap on ${day}: ${fmt(amount ?? 0n)} of ${fmt(alert.limit ?? 0n)}`,
        subject: `over daily cap on ${day}: ${pair(amount, alert.limit)}`,
        lines: [
          fact(`Spent on ${day}`, `${fmt(amount ?? 0n)} (daily cap ${fmt(alert.limit ?? 0n)})`),
          ...monthToDate,
        ],
        since: day,
        steps: [
          step(
            `Find what cost ${fmt(amount ?? 0n)} on ${day}: ${top ? `${top.service} leads this month; ` : ''}open that day in Cost Explorer filtered by ${report.tagKey}=${alert.poc}.`,
          ),
          step('If it was a one-off (a load test, a backfill), nothing more is needed.'),
          step(`If such days are expected, raise \`budget.dailyCap\` in ${policy}.`),
        ],
      };
    case 'lifetime': {
      const start = poc?.lifetime?.start;
      return {
        headline: `has used ${amount !== undefined && alert.limit ? percentLabel(moneyRatio(amount, alert.limit)) : '?'} of its lifetime budget: ${fmt(amount ?? 0n)} of ${fmt(alert.limit ?? 0n)}`,
        subject: `lifetime budget: ${pair(amount, alert.limit)}`,
        lines: [
          fact(
            'Lifetime spend',
            `${fmt(amount ?? 0n)} of the ${fmt(alert.limit ?? 0n)} lifetime budget (\`budget.total\`)`,
          ),
          ...monthToDate,
        ],
        ...(start ? { since: `${dayLabel(start, report.asOf)} (the PoC's start)` } : {}),
        steps: [
          step('Wrap the PoC up, or agree more budget with its sponsor.'),
          step(`To continue, raise \`budget.total\` in ${policy}.`),
        ],
      };
    }
    case 'anomaly':
      return {
        headline: `cost spike on ${day}: ${fmt(amount ?? 0n)}${alert.limit !== undefined ? ` (usually ${fmt(alert.limit)})` : ''}`,
        subject: `cost spike on ${day}: ${subjectMoney([amount ?? 0n], currency)[0]}${alert.limit !== undefined ? ` (usually ${subjectMoney([alert.limit], currency)[0]})` : ''}`,
        lines: [
          fact(
            `Cost on ${day}`,
            `${fmt(amount ?? 0n)}${alert.limit !== undefined ? `, against a median of ${fmt(alert.limit)} on the days before` : ''}`,
          ),
          ...monthToDate,
        ],
        since: day,
        steps: [
          step(
            `Check what changed on ${day}: ${top ? `${top.service} is the largest service this month (${fmt(top.cost)}); ` : ''}open that day in Cost Explorer, grouped by service and filtered by ${report.tagKey}=${alert.poc}.`,
          ),
          step('A deploy, a load test or a forgotten resource? Stop what should not be running.'),
          step(
            `If the new level is expected, nothing to do: tune \`anomaly\` in ${policy} if such alerts are noise.`,
          ),
        ],
      };
    case 'expiring': {
      const expires = poc?.expires;
      const left = expires ? daysBetween(report.asOf, expires) : undefined;
      const when = expires ? dayLabel(expires, report.asOf) : day;
      return {
        headline: `expires ${left === 0 ? 'today' : `on ${when}`}`,
        subject: `expires ${left === 0 ? 'today' : `on ${when}`}`,
        lines: [
          fact(
            'Expires',
            `${expires ?? '?'}${left !== undefined ? ` (in ${left} day${left === 1 ? '' : 's'})` : ''}`,
          ),
          ...monthToDate,
        ],
        steps: [
          step(`If the PoC continues, extend \`expires\` in ${policy}.`),
          step(`Otherwise plan its teardown before ${when}: the report lists its resources once it expires.`),
        ],
        services: false,
      };
    }
    case 'expired': {
      const expires = poc?.expires;
      const spending = amount !== undefined && amount > 0n;
      const recommendations = report.recommendations.filter((r) => r.poc === alert.poc);
      const savings = sumMoney(recommendations.map((r) => r.estimatedMonthlySavings));
      const when = expires ? dayLabel(expires, report.asOf) : '?';
      return {
        headline: spending
          ? `expired on ${when} and still costs money: ${fmt(amount)} since`
          : `expired on ${when}`,
        subject: spending
          ? `expired ${when}, still spending: ${subjectMoney([amount], currency)[0]} since`
          : `expired ${when}`,
        lines: [
          fact('Expired', `${expires ?? '?'} (its \`expires\` date)`),
          ...(spending ? [fact('Spent since', fmt(amount))] : []),
          ...monthToDate,
        ],
        ...(expires
          ? { since: `${dayLabel(addDaysIso(expires, 1), report.asOf)} (the day after its expiry)` }
          : {}),
        steps: [
          recommendations.length > 0
            ? step(
                `Tear it down: the report recommends removing ${recommendations.reduce((n, r) => n + r.resources.length, 0)} resource(s), saving about ${fmt(savings)} a month.`,
              )
            : step(`Tear it down: delete its resources (tagged ${report.tagKey}=${alert.poc}).`),
          step(`If it is still needed, extend \`expires\` in ${policy}.`),
        ],
        forecast: spending,
      };
    }
    case 'unbudgeted': {
      const first = poc?.daily.find((point) => point.cost > 0n)?.date;
      const hasPolicy = poc?.policyFile !== undefined;
      return {
        headline: `has no budget: ${fmt(amount ?? 0n)} this month`,
        subject: `has no budget: ${subjectMoney([amount ?? 0n], currency)[0]} this month`,
        lines: monthToDate,
        ...(first ? { since: `${dayLabel(first, report.asOf)} (first spend this month)` } : {}),
        steps: hasPolicy
          ? [step(`Set \`budget.monthly\` in ${policy}.`), topStep]
          : [
              step(`Add ${policy} with the PoC's owners and a monthly budget.`),
              step(`Or, if ${report.tagKey}=${alert.poc} is a mistake, fix the tag on its resources.`),
            ],
      };
    }
    case 'operational':
      return {
        headline: 'budgets not checked',
        subject: 'budgets not checked',
        lines: [],
        steps: [step('Fix the cause in the message, then run pocketwatch again.')],
        forecast: false,
        services: false,
      };
    case 'per-use': {
      const perUse = poc?.perUse;
      return {
        headline: `costs too much per use: ${perUse ? perUseLabel(perUse, currency) : `${unitPrice(amount ?? 0n, currency)} (max ${unitPrice(alert.limit ?? 0n, currency)})`}`,
        subject: `costs too much per use: ${unitPrice(amount ?? 0n, currency)} (max ${unitPrice(alert.limit ?? 0n, currency)})`,
        lines: perUse
          ? [
              fact('Cost per use', perUseLabel(perUse, currency)),
              fact('Basis', `${perUseBasisLabel(perUse, currency)} (${perUse.signal})`),
              ...monthToDate,
            ]
          : monthToDate,
        ...(perUse ? { since: `the ${perUse.windowDays} days to ${day}` } : {}),
        steps: [
          step(
            'Fixed costs (provisioned capacity, idle resources) dominate at low use: cut them, or expect this to pass as use grows.',
          ),
          topStep,
          step(`If this cost per use is acceptable, raise \`budget.perUse.max\` in ${policy}.`),
        ],
      };
    }
  }
}

/** The level (a percentage) of a threshold alert: the last part of its id, else the highest reached. */
function thresholdLevel(alert: Alert, poc: PocReport | undefined): number | undefined {
  const fromId = Number(alert.id.split(':').at(-1));
  if (Number.isFinite(fromId) && fromId > 0) return fromId;
  const used = poc?.budgetUsed;
  if (used === undefined || !poc?.budget) return undefined;
  return [...poc.budget.thresholds].filter((level) => used * 100 >= level).sort((a, b) => b - a)[0];
}

/** The first day month-to-date spend passed `limit` (or reached it, with `orEqual`). */
function firstDayOver(poc: PocReport, limit: Money, orEqual: boolean): IsoDate | undefined {
  let total = 0n;
  for (const point of poc.daily) {
    total += point.cost;
    if (total > limit || (orEqual && total === limit)) return point.date;
  }
  return undefined;
}

function forecastLines(poc: PocReport, report: Report): Line[] {
  const fmt = (amount: Money) => money(amount, report.currency);
  const budget = poc.budget ? `; budget ${fmt(poc.budget.monthly)}` : '';
  return [
    fact(
      'Forecast',
      `${fmt(poc.forecastMonthEnd)} by month end (${forecastBasisLabel(poc.forecastBasis, report.currency)}${budget})`,
    ),
  ];
}

function serviceLines(poc: PocReport, currency: string): Line[] {
  if (poc.services.length === 0) return [];
  const lines: Line[] = [plain('Top services this month:', '*Top services this month:*')];
  for (const service of poc.services.slice(0, TOP_SERVICES)) {
    const share = shareLabel(moneyRatio(service.cost, poc.monthToDate));
    lines.push(
      detail(
        `  ${service.service}: ${money(service.cost, currency)} (${share})`,
        `• ${esc(service.service)}: ${money(service.cost, currency)} (${share})`,
      ),
    );
  }
  const rest = poc.services.slice(TOP_SERVICES);
  if (rest.length > 0) {
    const total = money(sumMoney(rest.map((service) => service.cost)), currency);
    lines.push(detail(`  ${rest.length} more: ${total}`, `• ${rest.length} more: ${total}`));
  }
  return lines;
}

function resourceLines(resource: RecommendedResource, report: Report): Line[] {
  const type = resourceTypeLabel(resource.type);
  const id = resourceShortId(resource.arn);
  const cost = monthlyCostLabel(resource, report.currency);
  const source = resource.costSource === 'unknown' ? '' : ` (${costSourceLabel(resource.costSource)})`;
  const idle = resource.idleSince ? `; idle since ${dayLabel(resource.idleSince, report.asOf)}` : '';
  const data = resource.holdsData ? '; holds data' : '';
  return [
    detail(
      `- ${type} ${id}, ${resource.region}, account ${resource.account}: ${cost}${source}`,
      `• *${esc(type)}* \`${esc(id)}\` (${esc(resource.region)}, ${esc(resource.account)}): ${esc(cost)}${esc(source)}`,
    ),
    detail(`    ${resource.evidence}${idle}${data}`, `    ${esc(resource.evidence)}${esc(idle)}${esc(data)}`),
    detail(`    ${resource.arn}`, `    \`${esc(resource.arn)}\``, false),
  ];
}

function ownerLines(poc: PocReport | undefined, name: string): Line[] {
  const lines: Line[] = [blank()];
  const owners = poc?.owners ?? [];
  lines.push(
    fact(
      'Owners',
      owners.length > 0 ? owners.join(', ') : `none listed (add \`owners\` to the policy of ${name})`,
    ),
  );
  if (poc?.policyFile) lines.push(fact('Policy', poc.policyFile));
  const links = (poc?.links ?? []).flatMap((entry) => {
    const url = safeLinkUrl(entry.url);
    return url ? [{ title: entry.title, url }] : [];
  });
  if (links.length > 0) {
    lines.push(plain('Links:', '*Links:*'));
    for (const entry of links) {
      lines.push(
        detail(
          `  ${entry.title}: ${entry.url}`,
          `• <${slackUrl(entry.url)}|${esc(entry.title).replace(/\|/g, '¦')}>`,
        ),
      );
    }
  }
  return lines;
}

function footer(what: string, report: Report): Line {
  const estimated = report.source.estimated ? '; recent days are estimates and may change' : '';
  const partial = report.source.partial ? '; some input was skipped, so totals may be low' : '';
  const text = `${what} · report as of ${report.asOf} · ${report.source.description}${estimated}${partial}`;
  return plain(text, `_${esc(text)}_`);
}

// ---------------------------------------------------------------- lines and fitting

/** One line of the body, with its chat (Slack markdown) form. */
interface Line {
  plain: string;
  markdown: string;
  /** Left out of the chat description (the next steps, which Chatbot shows as its own list). */
  chat: boolean;
  /** A next step: in the chat card's `nextSteps`. */
  step?: Step;
  /** A list entry that may be dropped, with a note, to fit the size limit. */
  detail: boolean;
  /** A note standing for this many lines left out. */
  omitted?: number;
}

function plain(text: string, markdown?: string): Line {
  const cleaned = clean(text);
  return {
    plain: cleaned,
    markdown: markdown === undefined ? esc(cleaned) : clean(markdown),
    chat: true,
    detail: false,
  };
}

function blank(): Line {
  return { plain: '', markdown: '', chat: true, detail: false };
}

function fact(label: string, value: string): Line {
  return plain(`${label}: ${value}`, `*${esc(label)}:* ${esc(value)}`);
}

function detail(text: string, markdown: string, chat = true): Line {
  return { ...plain(text, markdown), chat, detail: true };
}

function step(text: string): Step {
  const cleaned = clean(text);
  return { text: cleaned, markdown: esc(cleaned) };
}

function link(label: string, url: string): Step {
  return { text: `${label}: ${url}`, markdown: `<${slackUrl(url)}|${esc(label)}>` };
}

function stepLines(steps: readonly Step[]): Line[] {
  return [
    blank(),
    { ...plain('What to do next:'), chat: false },
    ...steps.map((entry) => ({ ...plain(`- ${entry.text}`), chat: false, step: entry })),
  ];
}

interface Draft {
  subjectPoc: string;
  subjectWhat: string;
  title: string;
  lines: Line[];
  chat: {
    id: string;
    keywords: string[];
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    context: Record<string, string>;
  };
  attributes: { poc: string; severity: string; kind: string; owner: string };
}

/**
 * Builds the message, dropping list entries (services, resources, links) and then trailing lines,
 * each time with a note saying how many lines were left out, until body, chat card and attributes
 * together fit in one SNS message. A single line too long on its own is cut at a character boundary.
 */
function fitMessage(draft: Draft): AlertMessage {
  const attributes = messageAttributes(draft.attributes);
  const subject = subjectLine(draft.subjectPoc, draft.subjectWhat);
  const build = (lines: Line[]): AlertMessage => {
    const body = lines.map((line) => line.plain).join('\n');
    return { subject, body, chatbot: chatbotJson(draft, lines), attributes };
  };
  const fits = (message: AlertMessage) => messageSize(message) < SNS_MESSAGE_LIMIT_BYTES;

  const full = build(draft.lines);
  if (fits(full)) return full;

  // 1. Drop list entries from the end, leaving a note where they were.
  const details = draft.lines.flatMap((line, index) => (line.detail ? [index] : []));
  const withDetails = (keep: number): Line[] => {
    const dropped = new Set(details.slice(keep));
    if (dropped.size === 0) return draft.lines;
    const at = details[keep] as number;
    const out: Line[] = [];
    draft.lines.forEach((line, index) => {
      if (index === at) out.push(omitted(dropped.size));
      if (!dropped.has(index)) out.push(line);
    });
    return out;
  };
  const keepDetails = largest(details.length, (keep) => fits(build(withDetails(keep))));
  if (keepDetails !== undefined) return build(withDetails(keepDetails));

  // 2. Keep as many lines from the top as fit, without any list entries.
  const lines = withDetails(0);
  const head = (keep: number) => [...lines.slice(0, keep), omitted(lines.length - keep)];
  const keepLines = largest(lines.length, (keep) => fits(build(head(keep))));
  if (keepLines !== undefined && keepLines > 0) return build(head(keepLines));

  // 3. Even the first line is too long: cut it by characters.
  const first = lines[0] ?? blank();
  const chars = [...first.plain];
  const cut = (keep: number): Line[] => [
    plain(`${chars.slice(0, keep).join('')}…`),
    omitted(lines.length - 1),
  ];
  const keepChars = largest(chars.length, (keep) => fits(build(cut(keep)))) ?? 0;
  const message = build(cut(keepChars));
  if (!fits(message)) {
    throw new RangeError(`cannot fit the message for ${draft.chat.id} into ${SNS_MESSAGE_LIMIT_BYTES} bytes`);
  }
  return message;
}

/** The largest n in [0, max] for which `ok(n)` holds, given that ok is monotone; undefined if none. */
function largest(max: number, ok: (n: number) => boolean): number | undefined {
  if (!ok(0)) return undefined;
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

function omitted(count: number): Line {
  return { ...plain(omittedText(count)), omitted: count };
}

function omittedText(count: number): string {
  return `… (${count} more line${count === 1 ? '' : 's'} in the report)`;
}

// ---------------------------------------------------------------- wire formats

const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':rotating_light:',
  warning: ':warning:',
  info: ':information_source:',
};

function chatbotJson(draft: Draft, lines: readonly Line[]): string {
  // Markdown lines, and counts of lines left out (neighbouring ones merged into one note).
  const entries: Array<string | number> = [];
  const leaveOut = (count: number) => {
    const last = entries.length - 1;
    if (typeof entries[last] === 'number') entries[last] += count;
    else entries.push(count);
  };
  let details = 0;
  for (const line of lines) {
    if (!line.chat) continue;
    if (line.omitted !== undefined) leaveOut(line.omitted);
    else if (line.detail && ++details > CHAT_DETAILS_MAX) leaveOut(1);
    else entries.push(line.markdown);
  }
  const note = (count: number) => `_${esc(omittedText(count))}_`;
  // The first `keep` entries, then one note for everything after them.
  const describe = (keep: number): string => {
    const cut = entries
      .slice(keep)
      .reduce<number>((sum, entry) => sum + (typeof entry === 'number' ? entry : 1), 0);
    const shown = entries.slice(0, keep).map((entry) => (typeof entry === 'number' ? note(entry) : entry));
    if (cut > 0) {
      if (typeof entries[keep - 1] === 'number') shown.pop();
      shown.push(note(cut + (typeof entries[keep - 1] === 'number' ? (entries[keep - 1] as number) : 0)));
    }
    return shown
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  };
  const keep = largest(entries.length, (n) => [...describe(n)].length < CHATBOT_LIMITS.description) ?? 0;
  const nextSteps = lines
    .flatMap((line) => (line.step ? [line.step.markdown] : []))
    .slice(0, CHATBOT_LIMITS.nextSteps);
  const context = Object.fromEntries(
    Object.entries(draft.chat.context).map(([key, value]) => [
      key,
      truncate(clean(value), CONTEXT_VALUE_MAX),
    ]),
  );
  return JSON.stringify({
    version: '1.0',
    source: 'custom',
    id: clean(draft.chat.id),
    content: {
      textType: 'client-markdown',
      title: truncate(esc(draft.title), CHATBOT_LIMITS.title),
      description: truncate(describe(keep), CHATBOT_LIMITS.description - 1),
      ...(nextSteps.length > 0 ? { nextSteps } : {}),
      keywords: draft.chat.keywords
        .slice(0, CHATBOT_LIMITS.keywords)
        .map((keyword) => truncate(clean(keyword), CHATBOT_LIMITS.keyword)),
    },
    metadata: {
      threadId: threadSlug(draft.chat.threadId),
      summary: truncate(esc(draft.chat.summary), CHATBOT_LIMITS.summary),
      eventType: draft.chat.eventType,
      ...(draft.chat.relatedResources.length > 0
        ? { relatedResources: draft.chat.relatedResources.slice(0, RELATED_RESOURCES_MAX).map(clean) }
        : {}),
      additionalContext: context,
    },
  });
}

/** An ASCII slug for Chatbot's threadId: one thread per PoC; a non-ASCII name keeps a hash to stay unique. */
function threadSlug(text: string): string {
  const slug = toAscii(text)
    .toLowerCase()
    .replace(/[^a-z0-9:._-]+/g, '-')
    .slice(0, 100);
  const ascii = /^[\x20-\x7e]*$/.test(text);
  return ascii ? slug : `${slug}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

function structuredMessage(body: string, chatbot: string): string {
  return JSON.stringify({ default: body, email: body, https: chatbot, sqs: chatbot, lambda: chatbot });
}

function messageAttributes(values: Draft['attributes']): Record<string, MessageAttributeValue> {
  const attribute = (value: string): MessageAttributeValue => ({
    DataType: 'String',
    // SNS rejects an empty attribute value.
    StringValue: truncate(clean(value), CONTEXT_VALUE_MAX) || 'none',
  });
  return {
    poc: attribute(values.poc),
    severity: attribute(values.severity),
    kind: attribute(values.kind),
    owner: attribute(values.owner),
  };
}

function messageSize(message: AlertMessage): number {
  return publishSize({
    Message: structuredMessage(message.body, message.chatbot),
    Subject: message.subject,
    MessageAttributes: message.attributes,
  });
}

// ---------------------------------------------------------------- text

/** Amounts for a subject, ASCII: whole units when every amount is 100 or more, else cents. */
function subjectMoney(amounts: readonly Money[], currency: string): string[] {
  const decimals = amounts.every((amount) => amount >= 100n * 10n ** 18n || amount <= -100n * 10n ** 18n)
    ? 0
    : 2;
  return amounts.map((amount) => {
    const text = formatCurrency(amount, currency, decimals);
    return /^[\x20-\x7e]*$/.test(text) ? text : `${formatMoney(amount, decimals)} ${currency}`;
  });
}

/** Letters and punctuation that NFKD does not reduce to ASCII. */
const SPELLED: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '‐': '-',
  '−': '-',
  '…': '...',
  '·': '-',
  '•': '-',
  '×': 'x',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₩': 'KRW',
  '₹': 'INR',
  '\u00a0': ' ',
};

/** Printable text: cleanText() (no line breaks, no control or bidi characters), and no lone surrogates. */
function clean(text: string): string {
  return cleanText(text).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\uFFFD',
  );
}

/**
 * Slack markdown escaping: &, < and > as entities, so that a tag value cannot become a link or a
 * `<!channel>` mention, and a word joiner after "@" in @channel/@here/@everyone. Emphasis markers are
 * left alone: at worst a name shows in bold. (Chatbot renders client-markdown as Slack markdown.)
 */
function esc(text: string): string {
  return clean(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=(?:channel|here|everyone)\b)/gi, '@\u2060');
}

/** A URL inside Slack's <url|label>: the characters that would end it escaped. */
function slackUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** SNS FIFO group and deduplication ids: at most 128 printable ASCII characters. */
function fifoToken(text: string): string {
  const ascii = toAscii(text).replace(/\s+/g, '-');
  return (ascii || 'pocketwatch').slice(0, 128);
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
