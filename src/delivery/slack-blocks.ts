/**
 * The digest as a Slack Block Kit message for an incoming webhook: a header, the headline, the key
 * figures as section fields, then the PoCs by risk, the new alerts, the recommendations, unattributed
 * spend and what the run cost.
 *
 * Every user string goes through escapeMrkdwn() and every mrkdwn text object is `verbatim`, so a tag
 * value can never become a link, a mention or a channel reference. The message stays inside Slack's
 * limits (SLACK_LIMITS): lists are capped and, when the blocks would still be too many, shortened
 * with a "… and N more" line; an item whose text would be too long is shown in a shorter form.
 */
import type { Recommendation, Severity } from '../core/report.js';
import { cleanText } from '../report/clean-text.js';
import {
  alertKindLabel,
  money,
  monthlyCostLabel,
  recommendationReasonLabel,
  resourceShortId,
  resourceTypeLabel,
  shareLabel,
  shortDate,
  shortRecommendationId,
  statusLabel,
} from '../report/format.js';
import { STATUS_EMOJI } from '../report/render-markdown.js';
import { usageBar } from '../report/usage-bar.js';
import {
  changePhrase,
  type Digest,
  type DigestAlert,
  type DigestPoc,
  forecastPhrase,
  runPhrase,
  savingsPhrase,
  spentPhrase,
} from './digest-model.js';
import { firstFitting, fitToLimit, moreLine } from './size-limits.js';

// ---------------------------------------------------------------- Block Kit types (the part we use)

export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface MrkdwnTextObject {
  type: 'mrkdwn';
  text: string;
  /** True: Slack does not turn URLs, channel names or mentions in the text into links. */
  verbatim?: boolean;
}

export type TextObject = PlainTextObject | MrkdwnTextObject;

export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
}

export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
}

export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
}

export interface DividerBlock {
  type: 'divider';
}

export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock;

export interface SlackMessage {
  /** The notification and fallback text. */
  text: string;
  blocks: SlackBlock[];
}

/** Block Kit limits for a message (characters are counted as UTF-16 units, which never undercounts). */
export const SLACK_LIMITS = {
  blocks: 50,
  /** Section text, context element text and the fallback text. */
  text: 3000,
  /** Each section field (Slack's limit is 2,000, below the 3,000 of a section's text). */
  fieldText: 2000,
  fields: 10,
  headerText: 150,
  contextElements: 10,
} as const;

/** How many items each list shows at most, before any shortening for the block limit. */
export const SLACK_CAPS = { pocs: 15, alerts: 10, recommendations: 5, resources: 3, services: 3 } as const;

// ---------------------------------------------------------------- escaping

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Look-alikes for emphasis markers, so that a user string can neither open nor close *bold* etc. */
const MARKER_LOOKALIKES: Record<string, string> = { '*': '∗', '~': '∼', '`': 'ˋ', _: '＿' };

/**
 * Makes a user string literal text in Slack mrkdwn: line breaks become spaces (cleanText), `&`, `<`
 * and `>` become entities (so `<!channel>`, `<@U123>` and `<https://…|…>` cannot be written), the
 * special mentions @channel/@here/@everyone and `://` get an invisible word joiner so that nothing is
 * parsed as a mention or auto-linked, and emphasis markers (`*`, `~`, `` ` ``, and `_` at a word
 * edge) become look-alike characters so the user string cannot change our formatting. An underscore
 * inside a word (`image_tagging`) is kept: Slack does not format it.
 */
export function escapeMrkdwn(text: string): string {
  return cleanText(text)
    .replace(/[&<>]/g, (char) => ENTITIES[char] ?? char)
    .replace(/@(?=(?:channel|here|everyone)\b)/gi, '@\u2060')
    .replace(/:\/\//g, ':\u2060//')
    .replace(/[*~`]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (char) => MARKER_LOOKALIKES[char] ?? char);
}

/** A link in mrkdwn to a URL already checked with safeLinkUrl (our own, never a user's). */
export function mrkdwnLink(url: string, label: string): string {
  const target = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return `<${target}|${escapeMrkdwn(label)}>`;
}

function mrkdwn(text: string): MrkdwnTextObject {
  return { type: 'mrkdwn', text, verbatim: true };
}

function plain(text: string): PlainTextObject {
  return { type: 'plain_text', text, emoji: true };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_LIMITS.contextElements).map(mrkdwn) };
}

const DIVIDER: DividerBlock = { type: 'divider' };

const fitsText = (text: string): boolean => text.length <= SLACK_LIMITS.text;
const fitsField = (text: string): boolean => text.length <= SLACK_LIMITS.fieldText;

// ---------------------------------------------------------------- item texts (shared with Chatbot)

export const SEVERITY_EMOJI: Record<Severity, string> = { critical: '🚨', warning: '⚠️', info: 'ℹ️' };
const REASON_EMOJI: Record<Recommendation['reason'], string> = { expired: '⌛', idle: '💤' };

/** "where" of a "… and N more" line: a link to the report when there is one. */
export function seeReport(digest: Digest): string {
  return digest.reportUrl ? `see ${mrkdwnLink(digest.reportUrl, 'the full report')}` : 'see the full report';
}

/** A PoC in a few lines of mrkdwn; shorter forms when the full one is over `limit` characters. */
export function pocMrkdwn(poc: DigestPoc, digest: Digest, limit: number = SLACK_LIMITS.text): string {
  const cur = digest.currency;
  const title = `${STATUS_EMOJI[poc.status]} *${escapeMrkdwn(poc.name)}* · ${statusLabel(poc.status)}`;
  const bar = poc.budgetUsed !== undefined ? `\`${usageBar(poc.budgetUsed)}\` ` : '';
  const figures = `${bar}${spentPhrase(poc, cur, bar === '')} · ${forecastPhrase(poc, cur)} · ${changePhrase(poc, cur)}`;
  const trend = poc.sparkline ? `\`${poc.sparkline}\` last ${poc.days.length} days` : '';
  const owners =
    digest.scope.kind === 'team'
      ? poc.owners.length
        ? `owners: ${poc.owners.map(escapeMrkdwn).join(', ')}`
        : 'no owner'
      : '';
  const last = [trend, owners].filter(Boolean).join(' · ');
  return firstFitting(
    [
      [title, figures, last].filter(Boolean).join('\n'),
      [title, figures, trend].filter(Boolean).join('\n'),
      `${STATUS_EMOJI[poc.status]} A PoC with a very long name · ${statusLabel(poc.status)} · ${spentPhrase(poc, cur)}`,
    ],
    (text) => text.length <= limit,
  );
}

/** One line per alert. */
export function alertMrkdwn(alert: DigestAlert, limit: number = SLACK_LIMITS.text): string {
  const head = `${SEVERITY_EMOJI[alert.severity]} *${escapeMrkdwn(alert.poc)}* · ${alertKindLabel(alert.kind)} · ${shortDate(alert.date)}`;
  return firstFitting(
    [
      `${head} — ${escapeMrkdwn(alert.message)}`,
      head,
      `${SEVERITY_EMOJI[alert.severity]} A ${alertKindLabel(alert.kind)} alert too long to show here`,
    ],
    (text) => text.length <= limit,
  );
}

/** A recommendation: the PoC, why, the savings and its first few resources. */
export function recommendationMrkdwn(
  r: Recommendation,
  digest: Digest,
  limit: number = SLACK_LIMITS.text,
): string {
  const cur = digest.currency;
  const head = `${REASON_EMOJI[r.reason]} *${escapeMrkdwn(r.poc)}* · ${recommendationReasonLabel(r.reason)} · saves *${savingsPhrase(r.estimatedMonthlySavings, cur)}*`;
  const shown = r.resources.slice(0, SLACK_CAPS.resources).map((res) => {
    const data = res.holdsData ? ' ⚠️ holds data' : '';
    return `${escapeMrkdwn(resourceTypeLabel(res.type))} \`${escapeMrkdwn(resourceShortId(res.arn))}\` ${monthlyCostLabel(res, cur)}${data}`;
  });
  const rest = r.resources.length - shown.length;
  if (rest > 0) shown.push(`${rest} more`);
  const id = `rec \`${escapeMrkdwn(shortRecommendationId(r.id))}\``;
  return firstFitting(
    [
      `${head}\n${shown.join(' · ')}\n${id}`,
      `${head}\n${r.resources.length} resources · ${id}`,
      `${REASON_EMOJI[r.reason]} A recommendation that saves ${savingsPhrase(r.estimatedMonthlySavings, cur)}`,
    ],
    (text) => text.length <= limit,
  );
}

/** "*Unattributed spend:* $81.30 (15% of all spend) · top: EC2 - Other $31.22, …". */
export function unattributedMrkdwn(digest: Digest, limit: number = SLACK_LIMITS.text): string | undefined {
  const u = digest.unattributed;
  if (!u) return undefined;
  const cur = digest.currency;
  const head = `*Unattributed spend:* ${money(u.monthToDate, cur)} (${shareLabel(u.share)} of all spend, no PoC tag)`;
  const top = u.services
    .slice(0, SLACK_CAPS.services)
    .map((s) => `${escapeMrkdwn(s.service)} ${money(s.cost, cur)}`)
    .join(', ');
  const unowned = digest.unownedPocs.length
    ? `\n${digest.unownedPocs.length === 1 ? '1 PoC has' : `${digest.unownedPocs.length} PoCs have`} no owner: ${digest.unownedPocs.map(escapeMrkdwn).join(', ')}`
    : '';
  return firstFitting(
    [`${head}${top ? ` · top: ${top}` : ''}${unowned}`, `${head}${top ? ` · top: ${top}` : ''}`, head],
    (text) => text.length <= limit,
  );
}

/** Lines joined into texts of at most `limit` characters (each line must fit on its own). */
export function packLines(lines: readonly string[], limit: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > limit) {
      out.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) out.push(current);
  return out;
}

// ---------------------------------------------------------------- the message

function headerText(digest: Digest): string {
  const day = `${shortDate(digest.asOf)}, ${digest.asOf.slice(0, 4)}`;
  return digest.scope.kind === 'team' ? `📊 PoC costs · ${day}` : `📊 Your PoC costs · ${day}`;
}

function field(label: string, value: string): MrkdwnTextObject {
  return mrkdwn(firstFitting([`*${label}*\n${value}`, `*${label}*`], fitsField));
}

function summaryFields(digest: Digest): MrkdwnTextObject[] {
  const cur = digest.currency;
  const { counts } = digest;
  const ok = counts.pocs - counts.attention - counts.watch;
  const fields = [
    field('Spent this month', money(digest.totals.monthToDate, cur)),
    field('Forecast, month end', money(digest.totals.forecastMonthEnd, cur)),
    field(
      'PoCs',
      counts.pocs === 0
        ? 'none'
        : `${counts.attention} need attention · ${counts.watch} to watch · ${ok} on track`,
    ),
    field(
      'New alerts',
      `${counts.newAlerts}${counts.earlierAlerts ? ` (+${counts.earlierAlerts} earlier, still open)` : ''}`,
    ),
  ];
  if (digest.recommendations.length > 0) {
    const n = digest.recommendations.length;
    fields.push(
      field('Could save', `${savingsPhrase(digest.savings, cur)} (${n} recommendation${n === 1 ? '' : 's'})`),
    );
  }
  if (digest.unattributed) {
    fields.push(
      field(
        'Unattributed',
        `${money(digest.unattributed.monthToDate, cur)} (${shareLabel(digest.unattributed.share)})`,
      ),
    );
  }
  return fields.slice(0, SLACK_LIMITS.fields);
}

function contextTexts(digest: Digest): string[] {
  const texts = [`${digest.periodLabel} · as of ${digest.asOf}`];
  if (digest.scope.kind === 'owner') {
    texts.push(
      firstFitting(
        [`PoCs owned by ${escapeMrkdwn(digest.scope.owner)}`, 'PoCs you own (owner name too long to show)'],
        fitsText,
      ),
    );
  }
  texts.push(...digest.notes.map(escapeMrkdwn));
  return texts;
}

function listSection(
  title: string,
  items: readonly string[],
  total: number,
  noun: [string, string],
  digest: Digest,
  packed: boolean,
): SlackBlock[] {
  const blocks: SlackBlock[] = [DIVIDER];
  if (packed) {
    const [first, ...rest] = packLines([title, ...items], SLACK_LIMITS.text);
    blocks.push(section(first ?? title), ...rest.map(section));
  } else {
    blocks.push(section(title), ...items.map(section));
  }
  if (items.length < total)
    blocks.push(context(moreLine(total - items.length, noun[0], noun[1], seeReport(digest))));
  return blocks;
}

function footer(digest: Digest): ContextBlock {
  const link = digest.reportUrl ? mrkdwnLink(digest.reportUrl, 'Open the full report') : undefined;
  const parts = [`pocketwatch · ${escapeMrkdwn(runPhrase(digest))}`];
  if (link) parts.push(link);
  return context(...parts);
}

function buildBlocks(digest: Digest, keep: number): SlackBlock[] {
  const cur = digest.currency;
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(headerText(digest)) },
    section(firstFitting([`*${escapeMrkdwn(digest.headline)}*`, `*${digest.headlineShort}*`], fitsText)),
    { type: 'section', fields: summaryFields(digest) },
    context(...contextTexts(digest)),
  ];

  if (digest.pocs.length > 0) {
    const pocs = digest.pocs.slice(0, Math.min(keep, SLACK_CAPS.pocs)).map((p) => pocMrkdwn(p, digest));
    blocks.push(...listSection('*PoCs by risk*', pocs, digest.pocs.length, ['PoC', 'PoCs'], digest, false));
  }
  if (digest.alerts.length > 0) {
    const alerts = digest.alerts.slice(0, Math.min(keep, SLACK_CAPS.alerts)).map((a) => alertMrkdwn(a));
    blocks.push(
      ...listSection(
        `*New alerts (${digest.alerts.length})*`,
        alerts,
        digest.alerts.length,
        ['alert', 'alerts'],
        digest,
        true,
      ),
    );
  }
  if (digest.recommendations.length > 0) {
    const recs = digest.recommendations
      .slice(0, Math.min(keep, SLACK_CAPS.recommendations))
      .map((r) => recommendationMrkdwn(r, digest));
    blocks.push(
      ...listSection(
        `*Recommendations* · could save *${savingsPhrase(digest.savings, cur)}* · nothing is deleted without approval`,
        recs,
        digest.recommendations.length,
        ['recommendation', 'recommendations'],
        digest,
        false,
      ),
    );
  }
  const unattributed = unattributedMrkdwn(digest);
  if (unattributed) blocks.push(DIVIDER, section(unattributed));
  blocks.push(DIVIDER, footer(digest));
  return blocks;
}

function fallbackText(digest: Digest): string {
  const cur = digest.currency;
  const tail = ` · ${money(digest.totals.monthToDate, cur)} this month, forecast ${money(digest.totals.forecastMonthEnd, cur)}`;
  return firstFitting(
    [`${escapeMrkdwn(digest.headline)}${tail}`, `${digest.headlineShort}${tail}`],
    fitsText,
  );
}

/** Every text of a message (fallback, header, section texts and fields, context elements): for checks. */
export function slackTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'header') texts.push(block.text.text);
    if (block.type === 'section') {
      if (block.text) texts.push(block.text.text);
      for (const f of block.fields ?? []) texts.push(f.text);
    }
    if (block.type === 'context') for (const e of block.elements) texts.push(e.text);
  }
  return texts;
}

export function renderSlackDigest(digest: Digest): SlackMessage {
  const maxKeep = Math.max(SLACK_CAPS.pocs, SLACK_CAPS.alerts, SLACK_CAPS.recommendations);
  const { value: blocks } = fitToLimit(
    (keep) => buildBlocks(digest, keep),
    (candidate) => candidate.length <= SLACK_LIMITS.blocks,
    maxKeep,
    (candidate) => candidate.length,
    SLACK_LIMITS.blocks,
  );
  return { text: fallbackText(digest), blocks };
}
