/**
 * The pages that are not a confirmation: the result of a decision, each reason a link cannot be
 * used (all of which say that nothing changed), and the neutral landing page.
 */
import { type Html, html } from '../report/html.js';
import {
  amountLabel,
  approvalPage,
  dayLabel,
  decidedSentence,
  instantTime,
  stateBadge,
} from './approval-page-layout.js';
import type { ApprovalAction } from './approval-token.js';
import type { RecommendationRecord } from './lifecycle.js';

export interface ResultView {
  /** The record as stored after the decision. */
  record: RecommendationRecord;
  action: ApprovalAction;
  actor: string;
  /** ISO instant of the decision. */
  at: string;
  /** Set when the decision was stored but what follows it (starting the teardown) failed. */
  followUpFailed?: boolean;
  reportUrl?: string | undefined;
  /** The billing currency, for amounts. */
  currency?: string | undefined;
}

export function resultPage(view: ResultView): Html {
  const { record } = view;
  const { recommendation } = record;
  const count = recommendation.resources.length;
  const [title, message] =
    view.action === 'approve'
      ? [
          'Approved',
          'The teardown will run after a fresh re-check: nothing is deleted that is no longer idle, is protected or changed hands.',
        ]
      : view.action === 'reject'
        ? ['Rejected', 'The resources stay. pocketwatch will not propose this set of resources again.']
        : [
            `Snoozed until ${record.snoozedUntil ? dayLabel(record.snoozedUntil) : 'the chosen day'}`,
            'pocketwatch leaves these resources out of its recommendations until then, and proposes them again from that day if they are still idle.',
          ];
  const body = html`<div class="outcome outcome-${view.action}" data-testid="result">
<p class="eyebrow">Decision recorded</p>
<h1>${title}</h1>
<p class="lede">${message}</p>
${
  view.followUpFailed
    ? html`<p class="notice" role="status">Your decision is recorded, but the teardown could not be started just now. Tell the pocketwatch operators, quoting recommendation <code>${record.id}</code>.</p>`
    : false
}
<dl class="facts card">
<div><dt>PoC</dt><dd class="poc">${recommendation.poc}</dd></div>
<div><dt>Resources</dt><dd>${count}</dd></div>
<div><dt>Estimated savings</dt><dd><span class="num">${amountLabel(recommendation.estimatedMonthlySavings, view.currency)}</span> / month</dd></div>
<div><dt>State</dt><dd>${stateBadge(record)}</dd></div>
<div><dt>Recorded as</dt><dd>${view.actor}</dd></div>
<div><dt>At</dt><dd>${instantTime(view.at)}</dd></div>
</dl>
<p class="fine-print">The links of this message are now used up. Recommendation <code>${record.id}</code>.</p>
</div>`;
  return approvalPage({ title, body, reportUrl: view.reportUrl });
}

/** Why a link or a form cannot be acted on. Every one of them changes nothing. */
export type ProblemKind =
  | 'invalid'
  | 'expired'
  | 'used'
  | 'superseded'
  | 'unknown'
  | 'not-allowed'
  | 'conflict'
  | 'method'
  | 'unsupported-form'
  | 'too-large'
  | 'error';

export interface ProblemView {
  kind: ProblemKind;
  /** The recommendation, when the link was genuine and it is known. */
  record?: RecommendationRecord | undefined;
  reportUrl?: string | undefined;
}

const NOTHING_CHANGED = 'No change was made.';

export function problemPage(view: ProblemView): Html {
  const { record } = view;
  const [title, explanation] = problemText(view);
  const body = html`<div class="problem problem-${view.kind}" data-testid="problem" data-problem="${view.kind}">
<p class="eyebrow">Approval link</p>
<h1>${title}</h1>
<p class="lede">${explanation}</p>
<p class="unchanged">${view.kind === 'error' ? 'If you sent a decision, it may not have been recorded: open the link again to see the current state.' : NOTHING_CHANGED}</p>
${
  record && view.kind !== 'invalid'
    ? html`<dl class="facts card">
<div><dt>PoC</dt><dd class="poc">${record.recommendation.poc}</dd></div>
<div><dt>State</dt><dd>${stateBadge(record)}</dd></div>
</dl>`
    : false
}
</div>`;
  return approvalPage({ title, body, reportUrl: view.reportUrl });
}

function problemText(view: ProblemView): [string, string | Html] {
  const { record } = view;
  switch (view.kind) {
    case 'invalid':
      return [
        'This link is not valid',
        'It may have been copied incompletely or changed. Open it again from the message, or ask the pocketwatch operators for a new one.',
      ];
    case 'expired':
      return [
        'This link has expired',
        html`Approval links work for 7 days. Ask for a new link, or decide from the command line with <code>pocketwatch approve</code>, <code>reject</code> or <code>snooze</code>.`,
      ];
    case 'used':
      return [
        'This link was already used',
        // While the decision that spent it is still being stored, the record says "proposed": say nothing then.
        `Each message carries one decision, and one of its links has been used.${record && record.state !== 'proposed' ? ` The recommendation is now ${decidedSentence(record)}.` : ''}`,
      ];
    case 'superseded':
      return [
        'This recommendation has been replaced',
        'The resources changed since this link was sent; a newer recommendation replaces it.',
      ];
    case 'unknown':
      return [
        'Recommendation not found',
        'This pocketwatch does not know the recommendation the link is for. It may come from another installation, or its record was removed.',
      ];
    case 'not-allowed':
      return [
        record ? `Already ${shortState(record)}` : 'This decision is no longer possible',
        record ? `It was already ${decidedSentence(record)}.` : 'The recommendation has moved on.',
      ];
    case 'conflict':
      return [
        'The recommendation kept changing',
        'Others acted on it at the same moment, so your decision could not be recorded. Open the link again to see where it stands.',
      ];
    case 'method':
      return ['Not allowed', 'This address accepts only opening a link (GET) and sending its form (POST).'];
    case 'unsupported-form':
      return ['The form could not be read', 'Send the decision with the form on the approval page.'];
    case 'too-large':
      return [
        'The form is too large',
        'A decision form holds at most 16 KB; shorten the reason and try again.',
      ];
    case 'error':
      return [
        'Something went wrong',
        'pocketwatch could not handle this request just now. Try again in a moment.',
      ];
  }
}

function shortState(record: RecommendationRecord): string {
  switch (record.state) {
    case 'executing':
      return 'being torn down';
    case 'done':
      return 'torn down';
    case 'partially-done':
    case 'failed':
      return 'handled by a teardown';
    default:
      return record.state;
  }
}

/** What the bare address shows: what it is for, and nothing about any recommendation. */
export function landingPage(): Html {
  const body = html`<p class="eyebrow">pocketwatch</p>
<h1>Teardown approvals</h1>
<p class="lede">This is where the approve, reject and snooze links in pocketwatch messages lead. Open a link from a message to see what it would tear down before you decide.</p>
<p class="unchanged">Opening a link changes nothing; only its confirmation buttons do.</p>`;
  return approvalPage({ title: 'Teardown approvals', body });
}
