/**
 * The confirmation page a link opens: what would be torn down and why, what is kept, the state and
 * history, and a form per action the lifecycle allows now. Opening it changes nothing; only a form
 * post does. The token appears only in the forms' hidden fields.
 */
import { addDaysIso } from '../core/calendar.js';
import type { RecommendedResource } from '../core/report.js';
import type { TeardownData } from '../policy/model.js';
import { plural, resourceShortId, resourceTypeLabel } from '../report/format.js';
import { type Html, html } from '../report/html.js';
import {
  type DecisionForm,
  type FieldErrors,
  FORM_FIELDS,
  MAX_NAME_LENGTH,
  MAX_REASON_LENGTH,
} from './approval-form.js';
import {
  amountLabel,
  approvalPage,
  dayLabel,
  eventLabel,
  instantLabel,
  instantTime,
  originLabel,
  stateBadge,
} from './approval-page-layout.js';
import { APPROVAL_ACTIONS, type ApprovalAction } from './approval-token.js';
import type { RecommendationRecord } from './lifecycle.js';

export interface ConfirmationView {
  record: RecommendationRecord;
  /** The action of the link that was opened: its form comes first, the others folded below it. */
  action: ApprovalAction;
  /** The token for each action allowed now, for the hidden field of its form. */
  tokens: Partial<Record<ApprovalAction, string>>;
  /** When the link stops working. */
  expiresAt: Date;
  /** The day snoozing suggests (14 days on) and the first day it accepts. */
  snooze: { suggested: string; earliest: string };
  /** After a refused post: which form, what was typed, and what is wrong with it. */
  refused?: { action: ApprovalAction; values: DecisionForm; errors: FieldErrors };
  reportUrl?: string | undefined;
  /** The billing currency, for amounts. */
  currency?: string | undefined;
  /** What the teardown does with data, from the PoC's policy; undefined when not known here. */
  data?: TeardownData | undefined;
}

/** Audit entries shown in full; older ones are counted. */
const HISTORY_SHOWN = 12;

/** Buckets and streams are not deleted while the PoC keeps its data (`teardown.data: keep`). */
const KEPT_WHOLE_TYPES = new Set(['s3:bucket', 's3', 'kinesis:stream']);

const HEADINGS: Record<ApprovalAction, string> = {
  approve: 'Approve the teardown of',
  reject: 'Reject the teardown of',
  snooze: 'Snooze the teardown of',
};

export function confirmationPage(view: ConfirmationView): Html {
  const { record } = view;
  const { recommendation } = record;
  const count = recommendation.resources.length;
  const holdingData = recommendation.resources.filter((resource) => resource.holdsData).length;
  const why =
    recommendation.reason === 'expired'
      ? `The PoC is past its expiry date and ${plural(count, 'resource')} still ${count === 1 ? 'bills' : 'bill'}.`
      : `Nothing has used ${count === 1 ? 'this resource' : `these ${count} resources`} over the idle window.`;
  const body = html`<p class="eyebrow">Teardown recommendation · ${recommendation.reason === 'expired' ? 'Expired PoC' : 'Idle resources'}</p>
<h1>${HEADINGS[view.action]} <span class="poc">${recommendation.poc}</span>?</h1>
<p class="lede">${why} Tearing ${count === 1 ? 'it' : 'them'} down saves about <strong class="num">${amountLabel(recommendation.estimatedMonthlySavings, view.currency)}</strong> a month.</p>
<p class="reassure">Opening this page changed nothing. Only the buttons below record a decision.</p>
${view.refused ? errorSummary(view.refused) : false}
<dl class="facts card">
<div><dt>PoC</dt><dd class="poc">${recommendation.poc}</dd></div>
<div><dt>Reason</dt><dd>${recommendation.reason === 'expired' ? 'Expired' : 'Idle'}</dd></div>
<div><dt>State</dt><dd>${stateBadge(record)}</dd></div>
<div><dt>Estimated savings</dt><dd><span class="num">${amountLabel(recommendation.estimatedMonthlySavings, view.currency)}</span> / month</dd></div>
<div><dt>Resources</dt><dd>${count}${holdingData > 0 ? html` <span class="muted">(${holdingData} holding data)</span>` : false}</dd></div>
<div><dt>Proposed</dt><dd>${instantTime(record.proposedAt)}</dd></div>
</dl>
${resourcesSection(view)}
${keptSection(view)}
${decisionSection(view)}
${historySection(record)}
<p class="fine-print">Recommendation <code>${record.id}</code> · this link works until ${instantLabel(view.expiresAt.toISOString())}.</p>`;
  return approvalPage({
    title: `${HEADINGS[view.action]} ${recommendation.poc}?`,
    body,
    reportUrl: view.reportUrl,
  });
}

function resourcesSection(view: ConfirmationView): Html {
  const { recommendation } = view.record;
  return html`<section aria-labelledby="resources-heading">
<h2 id="resources-heading">Resources</h2>
<div class="card table-card"><table class="resources">
<caption class="sr-only">${recommendation.poc}: ${plural(recommendation.resources.length, 'resource')} proposed for teardown</caption>
<thead><tr><th scope="col">Resource</th><th scope="col">Idle evidence</th><th scope="col">Idle since</th><th scope="col" class="num">Monthly cost</th><th scope="col">Data</th></tr></thead>
<tbody>${recommendation.resources.map((resource) => resourceRow(resource, view.currency, view.data))}</tbody>
</table></div>
</section>`;
}

function resourceRow(
  resource: RecommendedResource,
  currency: string | undefined,
  data: TeardownData | undefined,
): Html {
  const where = [resource.region, resource.account].filter((part) => part !== '').join(' · ');
  const priced = !(resource.costSource === 'unknown' && resource.monthlyCost === 0n);
  return html`<tr data-testid="resource" data-arn="${resource.arn}">
<th scope="row"><span class="res-type">${resourceTypeLabel(resource.type)}</span><code class="res-id" title="${resource.arn}">${resourceShortId(resource.arn)}</code>${where ? html`<span class="res-where">${where}</span>` : false}</th>
<td data-label="Idle evidence" class="wide">${resource.evidence}<small>Measured over ${plural(resource.window.days, 'day')} (${dayLabel(resource.window.start)} – ${dayLabel(addDaysIso(resource.window.end, -1))})</small></td>
<td data-label="Idle since">${resource.idleSince ? html`<time datetime="${resource.idleSince}">${dayLabel(resource.idleSince)}</time>` : html`<span class="muted">not known</span>`}</td>
<td data-label="Monthly cost" class="num">${priced ? amountLabel(resource.monthlyCost, currency) : html`<span class="muted">unknown</span>`}</td>
<td data-label="Data" class="wide">${resource.holdsData ? html`<span class="badge holds-data">Holds data</span><small>${keptNote(resource, data)}</small>` : html`<span class="muted">No data to keep</span>`}</td>
</tr>`;
}

function keptNote(resource: RecommendedResource, data: TeardownData | undefined): string {
  if (data === 'delete') return 'Deleted with its data: the PoC’s policy says teardown.data: delete.';
  const kept = KEPT_WHOLE_TYPES.has(resource.type)
    ? 'Kept, not deleted'
    : 'A final snapshot or backup is kept before deletion';
  return data === 'keep' ? `${kept}.` : `${kept}, unless the PoC’s policy says teardown.data: delete.`;
}

function keptSection(view: ConfirmationView): Html {
  const holding = view.record.recommendation.resources.filter((resource) => resource.holdsData).length;
  return html`<section aria-labelledby="kept-heading">
<h2 id="kept-heading">What an approval does</h2>
<ul class="steps card">
<li><strong>A fresh re-check first.</strong> Right before deleting, pocketwatch looks at each resource again: anything that is no longer idle, is protected or has changed hands is skipped, not deleted.</li>
${
  view.data === 'delete'
    ? html`<li><strong>Data is deleted.</strong> ${holding > 0 ? `${plural(holding, 'resource')} here ${holding === 1 ? 'holds' : 'hold'} data. ` : ''}The PoC’s policy says <code>teardown.data: delete</code>: no final snapshots or backups are taken, and S3 buckets and Kinesis streams are deleted too.</li>`
    : html`<li><strong>Data is kept.</strong> ${holding > 0 ? `${plural(holding, 'resource')} here ${holding === 1 ? 'holds' : 'hold'} data. ` : ''}Data-bearing resources keep a final snapshot or backup; S3 buckets and Kinesis streams are kept whole${view.data === 'keep' ? '' : html` unless the PoC’s policy says <code>teardown.data: delete</code>`}.</li>`
}
<li><strong>Everything is recorded.</strong> Your name, the time and your address go into the audit trail with the exact resources you approved.</li>
</ul>
</section>`;
}

function decisionSection(view: ConfirmationView): Html {
  const allowed = APPROVAL_ACTIONS.filter((action) => view.tokens[action] !== undefined);
  const primary = allowed.includes(view.action) ? view.action : allowed[0];
  const others = allowed.filter((action) => action !== primary);
  return html`<section aria-labelledby="decide-heading" class="decide">
<h2 id="decide-heading">Your decision</h2>
${primary ? decisionForm(view, primary) : html`<p>No decision is possible now.</p>`}
${others.map(
  (action) =>
    html`<details class="alternative card"${view.refused?.action === action ? html` open` : false}><summary>${ALTERNATIVE_TITLES[action]}</summary>${decisionForm(view, action, true)}</details>`,
)}
</section>`;
}

const FORM_TITLES: Record<ApprovalAction, string> = {
  approve: 'Approve the teardown',
  reject: 'Reject: keep the resources',
  snooze: 'Snooze: ask again later',
};

const ALTERNATIVE_TITLES: Record<ApprovalAction, string> = {
  approve: 'Approve the teardown instead',
  reject: 'Reject instead (keep the resources)',
  snooze: 'Snooze instead (ask again later)',
};

const BUTTONS: Record<ApprovalAction, string> = {
  approve: 'Approve teardown',
  reject: 'Reject teardown',
  snooze: 'Snooze',
};

const EXPLANATIONS: Record<ApprovalAction, string> = {
  approve: 'The teardown runs after a fresh re-check of every resource.',
  reject: 'The resources stay, and pocketwatch does not propose this set of resources again.',
  snooze:
    'pocketwatch leaves this set out of its recommendations until the day you choose, then proposes it again if it is still idle.',
};

function decisionForm(view: ConfirmationView, action: ApprovalAction, folded = false): Html {
  const token = view.tokens[action] ?? '';
  const refused = view.refused?.action === action ? view.refused : undefined;
  const values = refused?.values;
  const id = (field: string) => `${action}-${field}`;
  const heading = folded ? false : html`<h3 id="${id('title')}">${FORM_TITLES[action]}</h3>`;
  return html`<form method="post" action="?" class="decision decision-${action}${folded ? '' : ' card'}" data-action="${action}"${folded ? html` aria-label="${FORM_TITLES[action]}"` : html` aria-labelledby="${id('title')}"`}>
${heading}
<p class="explain">${EXPLANATIONS[action]}</p>
<input type="hidden" name="${FORM_FIELDS.action}" value="${action}">
<input type="hidden" name="${FORM_FIELDS.token}" value="${token}">
${
  action === 'reject'
    ? field({
        id: id('reason'),
        label: 'Why should the resources stay?',
        hint: 'Required. Kept in the audit trail with your decision.',
        error: refused?.errors.reason,
        control: (describedBy, invalid) =>
          html`<textarea id="${id('reason')}" name="${FORM_FIELDS.reason}" required maxlength="${MAX_REASON_LENGTH}" rows="3"${describedBy}${invalid}>${values?.reason ?? ''}</textarea>`,
      })
    : false
}
${
  action === 'snooze'
    ? field({
        id: id('until'),
        label: 'Ask again on',
        hint: `A day after today (UTC). Suggested: ${dayLabel(view.snooze.suggested)}.`,
        error: refused?.errors.until,
        control: (describedBy, invalid) =>
          html`<input type="date" id="${id('until')}" name="${FORM_FIELDS.until}" required min="${view.snooze.earliest}" value="${values?.until || view.snooze.suggested}"${describedBy}${invalid}>`,
      })
    : false
}
${field({
  id: id('name'),
  label: 'Your name or email',
  hint: 'Required. Recorded in the audit trail as who decided.',
  error: refused?.errors.name,
  control: (describedBy, invalid) =>
    html`<input type="text" id="${id('name')}" name="${FORM_FIELDS.name}" required maxlength="${MAX_NAME_LENGTH}" autocomplete="name" spellcheck="false" value="${values?.name ?? ''}"${describedBy}${invalid}>`,
})}
<div class="actions"><button type="submit" class="button ${action === 'approve' ? 'danger' : 'secondary'}">${BUTTONS[action]}</button></div>
</form>`;
}

interface FieldOptions {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  control: (describedBy: Html, invalid: Html | false) => Html;
}

function field(options: FieldOptions): Html {
  const hintId = `${options.id}-hint`;
  const errorId = `${options.id}-error`;
  const describedBy = html` aria-describedby="${options.error ? `${errorId} ${hintId}` : hintId}"`;
  return html`<div class="field${options.error ? ' has-error' : ''}">
<label for="${options.id}">${options.label}</label>
${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : false}
${options.control(describedBy, options.error ? html` aria-invalid="true"` : false)}
<p class="hint" id="${hintId}">${options.hint}</p>
</div>`;
}

function errorSummary(refused: NonNullable<ConfirmationView['refused']>): Html {
  const entries = Object.entries(refused.errors) as [keyof FieldErrors, string][];
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">Nothing was recorded yet: please check the form</h2>
<ul>${entries.map(([name, message]) => html`<li><a href="#${refused.action}-${name}">${message}</a></li>`)}</ul>
</div>`;
}

function historySection(record: RecommendationRecord): Html {
  const entries = record.audit.slice(-HISTORY_SHOWN);
  const hidden = record.audit.length - entries.length;
  return html`<section aria-labelledby="history-heading">
<h2 id="history-heading">History</h2>
<ol class="history card">
${hidden > 0 ? html`<li class="muted">${plural(hidden, 'earlier entry', 'earlier entries')} not shown</li>` : false}
${entries.map(
  (entry) =>
    html`<li><span class="when">${instantTime(entry.at)}</span><span class="what"><strong>${eventLabel(entry)}</strong> by ${entry.actor} <span class="muted">(${originLabel(entry.from)})</span>${entry.reason ? html`<span class="note">“${entry.reason}”</span>` : false}</span></li>`,
)}
</ol>
</section>`;
}
