/**
 * The digest as plain-text email for an SNS `email` subscription: a subject and a body.
 *
 * The subject is what SNS accepts as `Subject`: ASCII only, fewer than 100 characters, no line
 * breaks. PoC names are transliterated ("données" → "donnees") or left out, never sent as "?".
 * The body uses simple lines (no columns: a mail client may not use a fixed-width font), user strings
 * are cleaned of line breaks and control characters, and the whole body stays within SNS's 256 KB by
 * listing fewer items and saying how many more there are.
 */
import type { Money } from '../core/money.js';
import { formatMoney } from '../core/money.js';
import { cleanText } from '../report/clean-text.js';
import {
  alertKindLabel,
  costSourceLabel,
  money,
  monthlyCostLabel,
  recommendationReasonLabel,
  resourceShortId,
  resourceTypeLabel,
  shareLabel,
  shortDate,
  shortRecommendationId,
} from '../report/format.js';
import {
  changePhrase,
  type Digest,
  type DigestPoc,
  forecastPhrase,
  runPhrase,
  savingsPhrase,
  scopeLabel,
  spentPhrase,
} from './digest-model.js';
import { firstFitting, fitMessage, moreLine, SNS_MESSAGE_MAX_BYTES } from './size-limits.js';

/** SNS: the subject must be ASCII and shorter than 100 characters. */
export const EMAIL_SUBJECT_MAX = 99;

/** Items listed at most, before any shortening for the size limit. */
export const EMAIL_TEXT_CAPS = {
  pocs: 50,
  alerts: 50,
  recommendations: 25,
  resources: 10,
  services: 5,
} as const;

export interface EmailText {
  subject: string;
  body: string;
}

export interface EmailTextOptions {
  /** Limit for the body in UTF-8 bytes (default SNS's 262,144). */
  limitBytes?: number;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const PUNCTUATION: Record<string, string> = {
  '–': '-',
  '—': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '…': '...',
  '·': '-',
  '\u00a0': ' ',
};

/**
 * The text in printable ASCII, or undefined when that is not possible without losing characters:
 * accents are dropped (NFKD), common typographic punctuation is replaced, anything else fails.
 */
export function asciiOnly(text: string): string | undefined {
  const out = cleanText(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[–—‘’“”…·\u00a0]/g, (char) => PUNCTUATION[char] ?? char)
    .replace(/\s+/g, ' ')
    .trim();
  return PRINTABLE_ASCII.test(out) ? out : undefined;
}

/** "$532.93", or "532.93 EUR" when the currency symbol is not ASCII. */
function asciiMoney(amount: Money, currency: string): string {
  const text = money(amount, currency);
  if (PRINTABLE_ASCII.test(text)) return text;
  const code = asciiOnly(currency)?.replace(/[^A-Za-z]/g, '') || 'units';
  return `${formatMoney(amount, 2)} ${code}`;
}

function subject(digest: Digest): string {
  const cur = digest.currency;
  const spent = `${asciiMoney(digest.totals.monthToDate, cur)} this month`;
  const base = `[pocketwatch] ${digest.asOf}`;
  const owner = digest.scope.kind === 'owner' ? asciiOnly(digest.scope.owner) : undefined;
  const prefixes = owner ? [`${base} for ${owner}`, base] : [base];
  const attention = digest.pocs.filter((p) => p.level === 'attention');
  const single = attention.length === 1 ? attention[0] : undefined;
  const named = single ? asciiOnly(`${single.name} ${single.issue}`) : undefined;
  const candidates: string[] = [];
  for (const prefix of prefixes) {
    if (named) candidates.push(`${prefix}: ${named}, ${spent}`);
    if (digest.pocs.length > 0) candidates.push(`${prefix}: ${digest.headlineShort}, ${spent}`);
    candidates.push(`${prefix}: ${digest.headlineShort}`);
  }
  candidates.push(`${base}: PoC cost digest`);
  return firstFitting(candidates, (text) => PRINTABLE_ASCII.test(text) && text.length <= EMAIL_SUBJECT_MAX);
}

const t = cleanText;

function pocLines(poc: DigestPoc, digest: Digest): string[] {
  const cur = digest.currency;
  const lines = [
    `- ${t(poc.name)}: ${t(poc.issue)}`,
    `  Spent ${spentPhrase(poc, cur)}, ${forecastPhrase(poc, cur)}, ${changePhrase(poc, cur)}`,
  ];
  if (poc.sparkline) lines.push(`  Last ${poc.days.length} days: ${poc.sparkline}`);
  if (digest.scope.kind === 'team') {
    lines.push(`  Owners: ${poc.owners.length ? poc.owners.map(t).join(', ') : 'none'}`);
  }
  if (poc.expires) lines.push(`  ${poc.expires < digest.asOf ? 'Expired' : 'Expires'}: ${poc.expires}`);
  return lines;
}

function more(total: number, shown: number, noun: string, nouns: string, digest: Digest): string[] {
  if (shown >= total) return [];
  const where = digest.reportUrl ? `see the report at ${digest.reportUrl}` : 'see the full report';
  return [moreLine(total - shown, noun, nouns, where)];
}

function body(digest: Digest, keep: number): string {
  const cur = digest.currency;
  const out: string[] = [];
  const who = digest.scope.kind === 'team' ? scopeLabel(digest.scope) : t(scopeLabel(digest.scope));
  out.push(
    `pocketwatch: PoC costs as of ${digest.asOf}`,
    `${who}, ${digest.month}: ${digest.periodLabel}`,
    '',
  );
  out.push(t(digest.headline), '');

  out.push(`Spent this month: ${money(digest.totals.monthToDate, cur)}`);
  out.push(`Forecast for the month: ${money(digest.totals.forecastMonthEnd, cur)}`);
  const earlier = digest.counts.earlierAlerts
    ? ` (${digest.counts.earlierAlerts} earlier alerts still open)`
    : '';
  out.push(`New alerts: ${digest.counts.newAlerts}${earlier}`);
  if (digest.recommendations.length > 0) {
    const n = digest.recommendations.length;
    out.push(
      `Could save: ${savingsPhrase(digest.savings, cur)} with ${n} recommendation${n === 1 ? '' : 's'}`,
    );
  }
  if (digest.unattributed) {
    out.push(
      `Unattributed: ${money(digest.unattributed.monthToDate, cur)} (${shareLabel(digest.unattributed.share)} of all spend)`,
    );
  }
  for (const note of digest.notes) out.push(`Note: ${t(note)}`);

  if (digest.pocs.length > 0) {
    out.push('', `PoCs BY RISK (${digest.pocs.length})`, '');
    const shown = digest.pocs.slice(0, Math.min(keep, EMAIL_TEXT_CAPS.pocs));
    for (const poc of shown) out.push(...pocLines(poc, digest));
    out.push(...more(digest.pocs.length, shown.length, 'PoC', 'PoCs', digest));
  }

  if (digest.alerts.length > 0) {
    out.push('', `NEW ALERTS (${digest.alerts.length})`, '');
    const shown = digest.alerts.slice(0, Math.min(keep, EMAIL_TEXT_CAPS.alerts));
    for (const a of shown) {
      out.push(
        `- [${a.severity.toUpperCase()}] ${t(a.poc)}, ${alertKindLabel(a.kind)} (${shortDate(a.date)}): ${t(a.message)}`,
      );
    }
    out.push(...more(digest.alerts.length, shown.length, 'alert', 'alerts', digest));
  }

  if (digest.recommendations.length > 0) {
    out.push('', `RECOMMENDATIONS: could save ${savingsPhrase(digest.savings, cur)}`, '');
    const shown = digest.recommendations.slice(0, Math.min(keep, EMAIL_TEXT_CAPS.recommendations));
    for (const r of shown) {
      out.push(
        `- ${t(r.poc)} (${recommendationReasonLabel(r.reason)}): saves ${savingsPhrase(r.estimatedMonthlySavings, cur)}, recommendation ${t(shortRecommendationId(r.id))}`,
      );
      const resources = r.resources.slice(0, EMAIL_TEXT_CAPS.resources);
      for (const res of resources) {
        const estimate = res.costSource === 'price-table' ? ` (${costSourceLabel(res.costSource)})` : '';
        const data = res.holdsData ? ', HOLDS DATA: back it up first' : '';
        out.push(
          `  ${t(resourceTypeLabel(res.type))} ${t(resourceShortId(res.arn))}: ${monthlyCostLabel(res, cur)}${estimate}${data}`,
        );
        out.push(`    ${t(res.evidence)}`);
      }
      if (r.resources.length > resources.length) {
        const rest = r.resources.length - resources.length;
        out.push(`  and ${rest} more resource${rest === 1 ? '' : 's'}`);
      }
    }
    out.push(
      ...more(digest.recommendations.length, shown.length, 'recommendation', 'recommendations', digest),
    );
    out.push('Nothing is deleted without an approval.');
  }

  if (digest.unattributed) {
    const u = digest.unattributed;
    out.push(
      '',
      `UNATTRIBUTED SPEND: ${money(u.monthToDate, cur)} (${shareLabel(u.share)} of all spend)`,
      '',
    );
    for (const s of u.services.slice(0, EMAIL_TEXT_CAPS.services))
      out.push(`- ${t(s.service)}: ${money(s.cost, cur)}`);
    const rest = u.services.length - EMAIL_TEXT_CAPS.services;
    if (rest > 0) out.push(`- and ${rest} more service${rest === 1 ? '' : 's'}`);
  }
  if (digest.unownedPocs.length > 0) {
    const shown = digest.unownedPocs.slice(0, Math.min(keep, EMAIL_TEXT_CAPS.pocs));
    out.push('', `PoCs without an owner: ${shown.map(t).join(', ')}`);
    out.push(...more(digest.unownedPocs.length, shown.length, 'PoC', 'PoCs', digest));
  }

  out.push('');
  if (digest.reportUrl) out.push(`Full report: ${digest.reportUrl}`);
  out.push(`${runPhrase(digest).replace(/^this/, 'This')}.`, '', '-- ', 'pocketwatch');
  return `${out.join('\n')}\n`;
}

export function renderEmailText(digest: Digest, options: EmailTextOptions = {}): EmailText {
  const maxKeep = Math.max(EMAIL_TEXT_CAPS.pocs, EMAIL_TEXT_CAPS.alerts, EMAIL_TEXT_CAPS.recommendations);
  const { value } = fitMessage(
    (keep) => body(digest, keep),
    maxKeep,
    options.limitBytes ?? SNS_MESSAGE_MAX_BYTES,
  );
  return { subject: subject(digest), body: value };
}
