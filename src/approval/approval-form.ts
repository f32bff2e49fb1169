import { type IsoDate, isIsoDate, todayIso } from '../core/calendar.js';
import { cleanText } from '../report/clean-text.js';
import type { ApprovalAction } from './approval-token.js';
import type { HttpRequest } from './http-types.js';
import type { LifecycleEvent } from './lifecycle.js';

/**
 * The decision form an approval page posts: application/x-www-form-urlencoded, at most 16 KB. Field
 * names are shared with the page that renders the forms.
 */
export const MAX_FORM_BYTES = 16 * 1024;
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const MAX_NAME_LENGTH = 200;
export const MAX_REASON_LENGTH = 2000;

export const FORM_FIELDS = {
  token: 'token',
  action: 'action',
  name: 'name',
  reason: 'reason',
  until: 'until',
} as const;

export interface DecisionForm {
  token: string;
  /** As posted: not yet known to be an action. */
  action: string;
  name: string;
  reason: string;
  until: string;
}

export type FormReadResult = { ok: true; form: DecisionForm } | { ok: false; status: 413 | 415 };

/** What is wrong with each field a person fills in, in words for the page. */
export type FieldErrors = Partial<Record<'name' | 'reason' | 'until', string>>;

export type DecisionResult =
  | { ok: true; event: LifecycleEvent; actor: string }
  | { ok: false; errors: FieldErrors };

/** Reads the posted form: 415 for another content type, 413 for a body over 16 KB. */
export function readDecisionForm(request: HttpRequest): FormReadResult {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_CONTENT_TYPE) return { ok: false, status: 415 };
  const declared = Number(request.headers['content-length']);
  if (
    (Number.isFinite(declared) && declared > MAX_FORM_BYTES) ||
    Buffer.byteLength(request.body, 'utf8') > MAX_FORM_BYTES
  ) {
    return { ok: false, status: 413 };
  }
  const fields = new URLSearchParams(request.body);
  const field = (name: string) => fields.get(name) ?? '';
  return {
    ok: true,
    form: {
      token: field(FORM_FIELDS.token),
      action: field(FORM_FIELDS.action),
      name: field(FORM_FIELDS.name),
      reason: field(FORM_FIELDS.reason),
      until: field(FORM_FIELDS.until),
    },
  };
}

/**
 * The lifecycle event and actor a form asks for (what was typed, made printable and trimmed), or
 * what is wrong with each field. Checked before the link is spent, so a typo never costs the link.
 */
export function decisionFromForm(action: ApprovalAction, form: DecisionForm, now: Date): DecisionResult {
  const errors: FieldErrors = {};
  const actor = printable(form.name);
  if (actor === '') errors.name = 'Enter your name or email address: it goes into the audit trail.';
  else if (actor.length > MAX_NAME_LENGTH) errors.name = `Use at most ${MAX_NAME_LENGTH} characters.`;

  let event: LifecycleEvent = { kind: 'approve' };
  if (action === 'reject') {
    const reason = printable(form.reason);
    if (reason === '') errors.reason = 'Say why the resources should stay.';
    else if (reason.length > MAX_REASON_LENGTH)
      errors.reason = `Use at most ${MAX_REASON_LENGTH} characters.`;
    event = { kind: 'reject', reason };
  } else if (action === 'snooze') {
    const until = form.until.trim();
    const today = todayIso(now);
    if (!isIsoDate(until)) errors.until = 'Enter a date (YYYY-MM-DD).';
    else if (until <= today) errors.until = `Choose a day after today (${today}, UTC).`;
    event = { kind: 'snooze', until: until as IsoDate };
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, event, actor };
}

/** Text safe to keep and print anywhere (the CLI prints audit entries to terminals): no control characters. */
function printable(text: string): string {
  return cleanText(text).trim();
}
