/**
 * The digest as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification: the
 * JSON body of an SNS message on the digest topic, which Chatbot posts to Slack or Teams.
 *
 *   {"version":"1.0","source":"custom",
 *    "content":{"textType":"client-markdown","title","description","nextSteps":[…],"keywords":[…]},
 *    "metadata":{"threadId","summary"}}
 *
 * What we assume about Chatbot's limits (the documentation names the fields but not all their limits,
 * so the numbers are ours, chosen to stay well inside what chat clients show; see CHATBOT_LIMITS):
 * - `description` under 8,000 characters. Above that Chatbot may cut or drop the message, so the lists
 *   are shortened with "… and N more" lines instead (the same caps as the Slack message first).
 * - `title` and `metadata.summary` at most 250 characters; they carry no user text.
 * - at most 5 `nextSteps` and 5 `keywords` (a keyword at most 30 characters), shown as a list and as
 *   tags under the message.
 * - `metadata.threadId` is an ASCII slug: one thread per scope (team or owner) and month, so daily
 *   digests stack up under one thread when the channel allows threading.
 * - client-markdown is rendered as the chat client's markdown (Slack mrkdwn for Slack), so user strings
 *   are escaped as for Slack: `&`, `<`, `>` as entities, mentions and emphasis markers defused.
 * The whole JSON also stays within SNS's 256 KB (or the `limitBytes` given).
 */
import { createHash } from 'node:crypto';
import { money, shortDate } from '../report/format.js';
import { type Digest, type DigestScope, runPhrase, savingsPhrase } from './digest-model.js';
import { fitToLimit, moreLine, SNS_MESSAGE_MAX_BYTES, utf8Bytes } from './size-limits.js';
import {
  alertMrkdwn,
  escapeMrkdwn,
  pocMrkdwn,
  recommendationMrkdwn,
  SLACK_CAPS,
  seeReport,
  unattributedMrkdwn,
} from './slack-blocks.js';

export const CHATBOT_LIMITS = {
  /** Exclusive: the description is always shorter than this. */
  description: 8000,
  title: 250,
  summary: 250,
  nextSteps: 5,
  keywords: 5,
  keyword: 30,
} as const;

export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: { threadId: string; summary: string };
}

export interface ChatbotOptions {
  /** Limit for the whole JSON message in UTF-8 bytes (default SNS's 262,144). */
  limitBytes?: number;
}

function scopeKey(scope: DigestScope): string {
  if (scope.kind === 'team') return 'team';
  const slug = scope.owner
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  const hash = createHash('sha256').update(scope.owner.trim().toLowerCase()).digest('hex').slice(0, 8);
  return `owner-${slug ? `${slug}-` : ''}${hash}`;
}

/** "pocketwatch-digest-team-2026-11": the same thread for every digest of a month. */
export function chatbotThreadId(digest: Digest): string {
  return `pocketwatch-digest-${scopeKey(digest.scope)}-${digest.period.start.slice(0, 7)}`;
}

function title(digest: Digest): string {
  const day = `${shortDate(digest.asOf)}, ${digest.asOf.slice(0, 4)}`;
  const what = digest.scope.kind === 'team' ? 'PoC costs' : 'Your PoC costs';
  return `📊 ${what} · ${day}: ${digest.headlineShort}`;
}

function overview(digest: Digest): string[] {
  const cur = digest.currency;
  const parts = [
    `Spent this month: *${money(digest.totals.monthToDate, cur)}*`,
    `forecast ${money(digest.totals.forecastMonthEnd, cur)}`,
  ];
  if (digest.recommendations.length > 0) parts.push(`could save ${savingsPhrase(digest.savings, cur)}`);
  const lines = [parts.join(' · '), `_${digest.periodLabel} · as of ${digest.asOf}_`];
  if (digest.scope.kind === 'owner') lines.push(`_PoCs owned by ${escapeMrkdwn(digest.scope.owner)}_`);
  lines.push(...digest.notes.map((note) => `_${escapeMrkdwn(note)}_`));
  return lines;
}

function description(digest: Digest, keep: number): string {
  const headline = escapeMrkdwn(digest.headline);
  const where = seeReport(digest);
  const blocks: string[] = [
    [headline.length < 1000 ? `*${headline}*` : `*${digest.headlineShort}*`, ...overview(digest)].join('\n'),
  ];
  const list = (titleLine: string, items: string[], total: number, noun: string, nouns: string): string => {
    const lines = [titleLine, ...items];
    if (items.length < total) lines.push(`_${moreLine(total - items.length, noun, nouns, where)}_`);
    return lines.join('\n');
  };
  if (digest.pocs.length > 0) {
    const shown = digest.pocs
      .slice(0, Math.min(keep, SLACK_CAPS.pocs))
      .map((p) => pocMrkdwn(p, digest, 1000));
    blocks.push(list('*PoCs by risk*', shown, digest.pocs.length, 'PoC', 'PoCs'));
  }
  if (digest.alerts.length > 0) {
    const shown = digest.alerts.slice(0, Math.min(keep, SLACK_CAPS.alerts)).map((a) => alertMrkdwn(a, 1000));
    blocks.push(
      list(`*New alerts (${digest.alerts.length})*`, shown, digest.alerts.length, 'alert', 'alerts'),
    );
  }
  if (digest.recommendations.length > 0) {
    const shown = digest.recommendations
      .slice(0, Math.min(keep, SLACK_CAPS.recommendations))
      .map((r) => recommendationMrkdwn(r, digest, 1000));
    blocks.push(
      list(
        `*Recommendations* · could save ${savingsPhrase(digest.savings, digest.currency)} · nothing is deleted without approval`,
        shown,
        digest.recommendations.length,
        'recommendation',
        'recommendations',
      ),
    );
  }
  const unattributed = unattributedMrkdwn(digest, 1000);
  if (unattributed) blocks.push(unattributed);
  blocks.push(`_pocketwatch · ${escapeMrkdwn(runPhrase(digest))}_`);
  return blocks.join('\n\n');
}

function nextSteps(digest: Digest): string[] {
  const steps: string[] = [];
  for (const poc of digest.pocs.filter((p) => p.level === 'attention').slice(0, 2)) {
    const name = `*${escapeMrkdwn(poc.name)}*`;
    steps.push(
      poc.status === 'expired'
        ? `Tear down ${name} or extend its expiry date: it is ${escapeMrkdwn(poc.issue)}`
        : `Check ${name}: ${escapeMrkdwn(poc.issue)}; cut its spend or raise its budget in its policy`,
    );
  }
  const best = [...digest.recommendations].sort((a, b) =>
    a.estimatedMonthlySavings < b.estimatedMonthlySavings ? 1 : -1,
  )[0];
  if (best) {
    steps.push(
      `Review recommendation \`${escapeMrkdwn(best.id.slice(0, 8))}\` for *${escapeMrkdwn(best.poc)}*: saves ${savingsPhrase(best.estimatedMonthlySavings, digest.currency)}`,
    );
  }
  if (digest.unownedPocs.length > 0) {
    const n = digest.unownedPocs.length;
    steps.push(
      `Give ${n === 1 ? 'the PoC without an owner' : `the ${n} PoCs without an owner`} a policy with owners`,
    );
  }
  const limit = digest.reportUrl ? CHATBOT_LIMITS.nextSteps - 1 : CHATBOT_LIMITS.nextSteps;
  const out = steps.filter((step) => step.length <= 1000).slice(0, limit);
  if (digest.reportUrl) out.push(`Open the full report: ${digest.reportUrl}`);
  return out;
}

function keywords(digest: Digest): string[] {
  const words = ['pocketwatch', 'cost digest'];
  if (digest.pocs.some((p) => p.status === 'over-budget')) words.push('over budget');
  if (digest.pocs.some((p) => p.status === 'expired')) words.push('expired');
  if (digest.recommendations.length > 0) words.push('savings');
  return words.filter((w) => w.length <= CHATBOT_LIMITS.keyword).slice(0, CHATBOT_LIMITS.keywords);
}

/** The notification as an object (renderChatbotDigest serialises it). */
export function chatbotNotification(digest: Digest, keep: number): ChatbotNotification {
  const cur = digest.currency;
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: title(digest),
      description: description(digest, keep),
      nextSteps: nextSteps(digest),
      keywords: keywords(digest),
    },
    metadata: {
      threadId: chatbotThreadId(digest),
      summary: `${digest.headlineShort} · ${money(digest.totals.monthToDate, cur)} this month`,
    },
  };
}

/** The SNS message body for the digest topic: Chatbot custom notification JSON. */
export function renderChatbotDigest(digest: Digest, options: ChatbotOptions = {}): string {
  const limitBytes = options.limitBytes ?? SNS_MESSAGE_MAX_BYTES;
  const maxKeep = Math.max(SLACK_CAPS.pocs, SLACK_CAPS.alerts, SLACK_CAPS.recommendations);
  const { value } = fitToLimit(
    (keep) => {
      const notification = chatbotNotification(digest, keep);
      return { notification, json: JSON.stringify(notification) };
    },
    ({ notification, json }) =>
      notification.content.description.length < CHATBOT_LIMITS.description && utf8Bytes(json) <= limitBytes,
    maxKeep,
    ({ json }) => utf8Bytes(json),
    limitBytes,
  );
  return value.json;
}
