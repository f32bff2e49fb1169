import { addDaysIso, todayIso } from '../core/calendar.js';
import type { TeardownData } from '../policy/model.js';
import { cleanText } from '../report/clean-text.js';
import { type DecisionForm, decisionFromForm, type FieldErrors, readDecisionForm } from './approval-form.js';
import { TOKEN_PARAMETER } from './approval-links.js';
import { landingPage, type ProblemKind, problemPage, resultPage } from './approval-outcome-pages.js';
import { type ConfirmationView, confirmationPage } from './approval-page.js';
import { htmlResponse } from './approval-response.js';
import {
  APPROVAL_ACTIONS,
  type ApprovalAction,
  signToken,
  type TokenClaims,
  type VerifyFailureReason,
  verifyToken,
} from './approval-token.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import type { Keyring } from './keyring.js';
import {
  type ActionContext,
  canTransition,
  type LifecycleEvent,
  type RecommendationRecord,
  transition,
} from './lifecycle.js';
import type { RecommendationStore } from './recommendation-store.js';
import { type RedeemFailureReason, redeemToken, type UsedTokenStore } from './used-tokens.js';

export interface ApprovalEndpointDeps {
  keyring: Keyring;
  store: RecommendationStore;
  usedTokens: UsedTokenStore;
  now: () => Date;
  /**
   * Called once a decision is stored (the deployment starts the teardown worker on an approval). A
   * failure here does not undo the decision; the page says the follow-up failed.
   */
  onDecision?: (record: RecommendationRecord, action: ApprovalAction) => Promise<void>;
  /** The published report, linked from every page. */
  reportUrl?: string;
  /** The billing currency (settings.currency), for amounts; without it they print as plain numbers. */
  currency?: string;
  /**
   * What a teardown of this PoC does with data (its policy's `teardown.data`, default keep), so the page
   * promises no final copy the policy will not take; without it the page names both cases.
   */
  teardownData?: (poc: string) => TeardownData;
  /** Told about unexpected errors; the page itself says only that something went wrong. */
  onError?: (error: unknown) => void;
}

export const ALLOWED_METHODS = 'GET, HEAD, POST';
/** The day snoozing suggests, counted from today (UTC). */
export const SNOOZE_SUGGESTED_DAYS = 14;
/** Attempts at storing a decision when others change the record at the same moment. */
const UPDATE_ATTEMPTS = 5;
/** The client's address and browser, as kept in the audit trail, at most this long. */
const MAX_ADDRESS_LENGTH = 400;

/**
 * The approval endpoint, independent of how it is served (`pocketwatch serve`, the approval Lambda):
 *
 *   GET (and HEAD) ?token=…  shows what the link would do and changes nothing, because mail scanners
 *                            open links too; without a token, a neutral landing page;
 *   POST (a form)            spends the link's nonce, records the decision, then calls `onDecision`.
 *
 * A link that cannot be used gets a page saying why, with a status to match, and changes nothing.
 * The path is not looked at, so the endpoint can sit under any prefix; forms post back to it.
 * Never throws: an unexpected failure is a 500 page (and `onError`).
 */
export async function handleApprovalRequest(
  request: HttpRequest,
  deps: ApprovalEndpointDeps,
): Promise<HttpResponse> {
  const method = request.method.toUpperCase();
  try {
    switch (method) {
      case 'GET':
        return await showLink(request, deps);
      case 'HEAD':
        return withoutBody(await showLink(request, deps));
      case 'POST':
        return await decide(request, deps);
      default:
        return problem(405, 'method', deps, undefined, { allow: ALLOWED_METHODS });
    }
  } catch (error) {
    deps.onError?.(error);
    const response = problem(500, 'error', deps);
    return method === 'HEAD' ? withoutBody(response) : response;
  }
}

async function showLink(request: HttpRequest, deps: ApprovalEndpointDeps): Promise<HttpResponse> {
  const token = request.query[TOKEN_PARAMETER];
  if (token === undefined || token === '') return htmlResponse(200, landingPage());
  const now = deps.now();
  const link = await checkLink(token, undefined, deps, now);
  if (!link.ok) return link.response;
  return htmlResponse(200, confirmationPage(confirmationView(link, deps, now)));
}

async function decide(request: HttpRequest, deps: ApprovalEndpointDeps): Promise<HttpResponse> {
  const read = readDecisionForm(request);
  if (!read.ok) return problem(read.status, read.status === 413 ? 'too-large' : 'unsupported-form', deps);
  const { form } = read;
  const action = APPROVAL_ACTIONS.find((candidate) => candidate === form.action);
  if (action === undefined) return problem(400, 'invalid', deps);

  const now = deps.now();
  // A token for another action than the form's is refused here ('wrong-action'), unspent.
  const link = await checkLink(form.token, action, deps, now);
  if (!link.ok) return link.response;
  const { record, claims } = link;

  // Everything a person can get wrong is checked before the link is spent.
  const decision = decisionFromForm(action, form, now);
  if (!decision.ok) return refused(link, deps, now, action, form, decision.errors);
  const context: ActionContext = { actor: decision.actor, at: now, from: 'link' };
  const address = clientAddress(request);
  if (address) context.address = address;
  const trial = transition(record, decision.event, context);
  if (!trial.ok) {
    const field = action === 'snooze' ? 'until' : action === 'reject' ? 'reason' : 'name';
    return refused(link, deps, now, action, form, { [field]: trial.reason });
  }

  const redeemed = await redeemToken(form.token, deps.keyring, deps.usedTokens, {
    now,
    recommendationId: record.id,
    resourceSetHash: record.resourceSetHash,
    action,
  });
  if (!redeemed.ok) {
    // Spent by a concurrent post: show where the recommendation stands now, not before.
    const current = redeemed.reason === 'used' ? await deps.store.getRecommendation(record.id) : undefined;
    return refusedLink(redeemed.reason, deps, current ?? record);
  }

  // The link was spent first so that one decision wins; if this one cannot be recorded (the store
  // failed, or other writers won every attempt), the link is given back for another try.
  const giveBack = () =>
    deps.usedTokens.releaseUsed(claims.nonce).catch((error: unknown) => deps.onError?.(error));
  let stored: StoreResult;
  try {
    stored = await storeDecision(record, claims, decision.event, context, deps);
  } catch (error) {
    await giveBack();
    throw error;
  }
  if (!stored.ok) {
    if (stored.kind === 'conflict') await giveBack();
    return problem(stored.status, stored.kind, deps, stored.record);
  }

  let followUpFailed = false;
  try {
    await deps.onDecision?.(stored.record, action);
  } catch (error) {
    deps.onError?.(error);
    followUpFailed = true;
  }
  return htmlResponse(
    200,
    resultPage({
      record: stored.record,
      action,
      actor: decision.actor,
      at: now.toISOString(),
      followUpFailed,
      reportUrl: deps.reportUrl,
      currency: deps.currency,
    }),
  );
}

type LinkCheck =
  | { ok: true; claims: TokenClaims; record: RecommendationRecord }
  | { ok: false; response: HttpResponse };

/**
 * Whether the link can be acted on now, reading only. The signature is checked before anything is
 * looked up, so a forged token learns nothing about which recommendations exist.
 */
async function checkLink(
  token: string,
  action: ApprovalAction | undefined,
  deps: ApprovalEndpointDeps,
  now: Date,
): Promise<LinkCheck> {
  const genuine = verifyToken(token, deps.keyring, { now, ...(action ? { action } : {}) });
  if (!genuine.ok) return { ok: false, response: refusedLink(genuine.reason, deps) };
  const { claims } = genuine;
  const record = await deps.store.getRecommendation(claims.recommendationId);
  if (record === undefined) return { ok: false, response: problem(404, 'unknown', deps) };
  const current = verifyToken(token, deps.keyring, {
    now,
    recommendationId: record.id,
    resourceSetHash: record.resourceSetHash,
    action: claims.action,
  });
  if (!current.ok) return { ok: false, response: refusedLink(current.reason, deps, record) };
  if (await deps.usedTokens.wasUsed(claims.nonce)) {
    return { ok: false, response: refusedLink('used', deps, record) };
  }
  if (!canTransition(record.state, claims.action)) {
    return { ok: false, response: problem(409, 'not-allowed', deps, record) };
  }
  return { ok: true, claims, record };
}

const REFUSALS: Record<RedeemFailureReason, { status: number; kind: ProblemKind }> = {
  malformed: { status: 400, kind: 'invalid' },
  'bad-signature': { status: 403, kind: 'invalid' },
  'unknown-key': { status: 403, kind: 'invalid' },
  'wrong-action': { status: 400, kind: 'invalid' },
  'wrong-recommendation': { status: 400, kind: 'invalid' },
  expired: { status: 410, kind: 'expired' },
  superseded: { status: 409, kind: 'superseded' },
  used: { status: 410, kind: 'used' },
};

function refusedLink(
  reason: VerifyFailureReason | RedeemFailureReason,
  deps: ApprovalEndpointDeps,
  record?: RecommendationRecord,
): HttpResponse {
  const { status, kind } = REFUSALS[reason];
  return problem(status, kind, deps, record);
}

function problem(
  status: number,
  kind: ProblemKind,
  deps: ApprovalEndpointDeps,
  record?: RecommendationRecord,
  headers: Record<string, string> = {},
): HttpResponse {
  return htmlResponse(status, problemPage({ kind, record, reportUrl: deps.reportUrl }), headers);
}

function confirmationView(
  link: { claims: TokenClaims; record: RecommendationRecord },
  deps: ApprovalEndpointDeps,
  now: Date,
): ConfirmationView {
  const { claims, record } = link;
  // Same nonce, set and expiry as the link: its own action reproduces the link's token, and a
  // decision through any of the forms spends the message's nonce.
  const tokens: Partial<Record<ApprovalAction, string>> = {};
  for (const action of APPROVAL_ACTIONS) {
    if (!canTransition(record.state, action)) continue;
    tokens[action] = signToken(
      {
        recommendationId: claims.recommendationId,
        resourceSetHash: claims.resourceSetHash,
        action,
        expiresAt: claims.expiresAt,
        nonce: claims.nonce,
      },
      deps.keyring,
    );
  }
  const today = todayIso(now);
  return {
    record,
    action: claims.action,
    tokens,
    expiresAt: new Date(claims.expiresAt * 1000),
    snooze: { suggested: addDaysIso(today, SNOOZE_SUGGESTED_DAYS), earliest: addDaysIso(today, 1) },
    reportUrl: deps.reportUrl,
    currency: deps.currency,
    data: deps.teardownData?.(record.recommendation.poc),
  };
}

/** The confirmation page again, with what was typed and what is wrong with it; nothing was spent. */
function refused(
  link: { claims: TokenClaims; record: RecommendationRecord },
  deps: ApprovalEndpointDeps,
  now: Date,
  action: ApprovalAction,
  form: DecisionForm,
  errors: FieldErrors,
): HttpResponse {
  const view = confirmationView(link, deps, now);
  return htmlResponse(400, confirmationPage({ ...view, action, refused: { action, values: form, errors } }));
}

type StoreResult =
  | { ok: true; record: RecommendationRecord }
  | { ok: false; status: number; kind: ProblemKind; record?: RecommendationRecord };

/**
 * Applies the decision with optimistic concurrency: on a version conflict the record is read again
 * and the transition re-applied to what is there now (which may no longer allow it).
 */
async function storeDecision(
  record: RecommendationRecord,
  claims: TokenClaims,
  event: LifecycleEvent,
  context: ActionContext,
  deps: ApprovalEndpointDeps,
): Promise<StoreResult> {
  let current: RecommendationRecord | undefined = record;
  for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
    if (attempt > 1) current = await deps.store.getRecommendation(record.id);
    if (current === undefined) return { ok: false, status: 404, kind: 'unknown' };
    if (current.resourceSetHash !== claims.resourceSetHash) {
      return { ok: false, status: 409, kind: 'superseded', record: current };
    }
    const next = transition(current, event, context);
    if (!next.ok) return { ok: false, status: 409, kind: 'not-allowed', record: current };
    if (await deps.store.updateRecommendation(current.id, current.version, next.record)) {
      return { ok: true, record: { ...next.record, version: current.version + 1 } };
    }
  }
  return { ok: false, status: 409, kind: 'conflict', record: current };
}

/** "203.0.113.9 Mozilla/5.0 …": where the decision came from, printable and bounded. */
function clientAddress(request: HttpRequest): string {
  const parts = [request.sourceIp, request.headers['user-agent']].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return cleanText(parts.map((part) => part.trim()).join(' '))
    .slice(0, MAX_ADDRESS_LENGTH)
    .trim();
}

function withoutBody(response: HttpResponse): HttpResponse {
  return { ...response, body: '' };
}
