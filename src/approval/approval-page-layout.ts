/**
 * What every approval page shares: the document shell (one stylesheet, no script), the header and
 * footer, and the words for dates, states and audit events.
 */
import type { IsoDate } from '../core/calendar.js';
import { formatMoney, type Money } from '../core/money.js';
import { money } from '../report/format.js';
import { type Html, html, trustedHtml } from '../report/html.js';
import { safeLinkUrl } from '../report/safe-url.js';
import { APPROVAL_PAGE_CSS } from './approval-page-styles.js';
import type { ActionOrigin, AuditEntry, RecommendationRecord, RecommendationState } from './lifecycle.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface PageOptions {
  /** The <title>, without the product name. */
  title: string;
  body: Html;
  /** The published report, linked from the footer. */
  reportUrl?: string | undefined;
}

/** A complete page: lang, one stylesheet (the CSP allows exactly it), a skip link, header, main, footer. */
export function approvalPage(options: PageOptions): Html {
  const report = options.reportUrl ? safeLinkUrl(options.reportUrl) : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${options.title} · pocketwatch</title>
<style>${trustedHtml(APPROVAL_PAGE_CSS)}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="bar"><div class="wrap">
<span class="brand"><svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="9" r="6" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 9V5.5M6.5 1.5h3" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>pocketwatch</span>
<span class="bar-note">Teardown approval</span>
</div></header>
<main id="main" class="wrap" tabindex="-1">
${options.body}
</main>
<footer class="page-footer"><div class="wrap">
<p>pocketwatch governs the cost of proof-of-concept projects on AWS. It deletes nothing without an approval, and re-checks every resource before it does.${report ? html` <a href="${report}" rel="noopener noreferrer">Open the cost report</a>.` : false}</p>
</div></footer>
</body>
</html>
`;
}

/** "19 Nov 2026, 06:05 UTC" for an ISO instant; the text itself when it cannot be read. */
export function instantLabel(iso: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return iso;
  const date = new Date(time);
  const hours = String(date.getUTCHours()).padStart(2, '0');
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${hours}:${minutes} UTC`;
}

/** "3 Dec 2026" for an ISO day. */
export function dayLabel(day: IsoDate): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  const [, year, month, date] = match;
  return `${Number(date)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** A <time> element for an ISO instant. */
export function instantTime(iso: string): Html {
  return html`<time datetime="${iso}">${instantLabel(iso)}</time>`;
}

const STATE_TITLES: Record<RecommendationState, string> = {
  proposed: 'Awaiting a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  snoozed: 'Snoozed',
  executing: 'Teardown running',
  done: 'Torn down',
  'partially-done': 'Partly torn down',
  failed: 'Teardown failed',
};

/** A state badge: "Awaiting a decision", "Snoozed until 3 Dec 2026", … */
export function stateBadge(record: RecommendationRecord): Html {
  const title =
    record.state === 'snoozed' && record.snoozedUntil
      ? `Snoozed until ${dayLabel(record.snoozedUntil)}`
      : STATE_TITLES[record.state];
  return html`<span class="badge state-${record.state}" data-state="${record.state}">${title}</span>`;
}

const ORIGINS: Record<ActionOrigin, string> = {
  cli: 'command line',
  link: 'approval link',
  run: 'scheduled run',
  executor: 'teardown worker',
};

export function originLabel(origin: ActionOrigin): string {
  return ORIGINS[origin] ?? origin;
}

/** What an audit entry did, in words: "Approved", "Snoozed until 3 Dec 2026", "Teardown finished (done)". */
export function eventLabel(entry: AuditEntry): string {
  switch (entry.event) {
    case 'propose':
      return 'Proposed';
    case 'approve':
      return 'Approved';
    case 'reject':
      return 'Rejected';
    case 'snooze':
      return entry.until ? `Snoozed until ${dayLabel(entry.until)}` : 'Snoozed';
    case 'start':
      return 'Teardown started';
    case 'checkpoint': {
      const count = entry.deletionsStarted?.length ?? 0;
      return `Teardown under way (${count} deletion${count === 1 ? '' : 's'} asked for)`;
    }
    case 'finish':
      return `Teardown finished (${STATE_TITLES[entry.toState].toLowerCase()})`;
    case 'fail':
      return 'Teardown failed';
  }
}

/**
 * The audit entry that put the record in its current state. An execution's checkpoints and resumes
 * continue it, so for `executing` that is the start of the run of executing entries.
 */
export function decidingEntry(record: RecommendationRecord): AuditEntry | undefined {
  const newestFirst = [...record.audit].reverse();
  let index = newestFirst.findIndex((entry) => entry.toState === record.state);
  if (index < 0) return undefined;
  if (record.state === 'executing') {
    while (newestFirst[index + 1]?.toState === 'executing') index += 1;
  }
  return newestFirst[index];
}

/**
 * The record's state as a sentence naming who did it and when: "approved by alice on 19 Nov 2026,
 * 06:05 UTC", "being torn down since …".
 */
export function decidedSentence(record: RecommendationRecord): string {
  const entry = decidingEntry(record);
  const byWhom = entry ? ` by ${entry.actor} on ${instantLabel(entry.at)}` : '';
  const since = entry ? ` since ${instantLabel(entry.at)}` : '';
  switch (record.state) {
    case 'proposed':
      return `awaiting a decision${since}`;
    case 'approved':
      return `approved${byWhom}`;
    case 'rejected':
      return `rejected${byWhom}${record.rejectedReason ? ` (“${record.rejectedReason}”)` : ''}`;
    case 'snoozed':
      return `snoozed${record.snoozedUntil ? ` until ${dayLabel(record.snoozedUntil)}` : ''}${byWhom}`;
    case 'executing':
      return `being torn down${since}`;
    case 'done':
      return `torn down${entry ? ` on ${instantLabel(entry.at)}` : ''}`;
    case 'partially-done':
      return `partly torn down${entry ? ` on ${instantLabel(entry.at)}` : ''}`;
    case 'failed':
      return `not torn down: the teardown failed${entry ? ` on ${instantLabel(entry.at)}` : ''}`;
  }
}

/** An amount in the billing currency ("$42.08"), or as a plain number when the currency is unknown. */
export function amountLabel(amount: Money, currency: string | undefined): string {
  return currency ? money(amount, currency) : formatMoney(amount);
}
