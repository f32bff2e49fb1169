import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type ApprovalEndpointDeps, handleApprovalRequest } from '../../../src/approval/approval-endpoint.js';
import { MAX_FORM_BYTES } from '../../../src/approval/approval-form.js';
import { type ApprovalLinkSet, signApprovalLinks } from '../../../src/approval/approval-links.js';
import {
  type ApprovalAction,
  decodeUnverifiedClaims,
  verifyToken,
} from '../../../src/approval/approval-token.js';
import type { HttpResponse } from '../../../src/approval/http-types.js';
import type { Keyring } from '../../../src/approval/keyring.js';
import { type RecommendationRecord, transition } from '../../../src/approval/lifecycle.js';
import type { Recommendation } from '../../../src/core/report.js';
import type { LocalStateStore } from '../../../src/state/local-state-store.js';
import {
  APPROVAL_RING,
  messageLinks,
  PROPOSED_AT,
  recordedState,
  sampleRecommendation,
  tokenOf,
} from '../../support/approval-fixtures.js';
import {
  getRequest,
  hiddenFields,
  offeredActions,
  pageText,
  postRequest,
} from '../../support/approval-requests.js';

const BASE_URL = 'https://approve.example.com/';
const HOUR = 3_600_000;

interface Harness {
  recommendation: Recommendation;
  store: LocalStateStore;
  links: ApprovalLinkSet;
  deps: ApprovalEndpointDeps;
  decisions: Array<[RecommendationRecord, ApprovalAction]>;
  errors: unknown[];
  /** Moves the endpoint's (and the store's) clock. */
  setNow(date: Date): void;
  /** The state file's bytes: equal before and after means nothing changed. */
  snapshot(): Promise<string>;
  record(): Promise<RecommendationRecord>;
  nonce(): string;
}

async function harness(recommendation: Recommendation = sampleRecommendation()): Promise<Harness> {
  let now = new Date(PROPOSED_AT.getTime() + HOUR);
  const { path, store } = await recordedState(recommendation, () => now);
  const links = messageLinks(recommendation, BASE_URL);
  const decisions: Array<[RecommendationRecord, ApprovalAction]> = [];
  const errors: unknown[] = [];
  return {
    recommendation,
    store,
    links,
    decisions,
    errors,
    deps: {
      keyring: APPROVAL_RING,
      store,
      usedTokens: store,
      now: () => now,
      onDecision: async (record, action) => {
        decisions.push([record, action]);
      },
      onError: (error) => errors.push(error),
    },
    setNow: (date) => {
      now = date;
    },
    snapshot: () => readFile(path, 'utf8'),
    record: async () => {
      const record = await store.getRecommendation(recommendation.id);
      if (!record) throw new Error('record missing');
      return record;
    },
    nonce: () => decodeUnverifiedClaims(tokenOf(links.approve))?.nonce ?? '',
  };
}

const NAME = 'alice@example.com';

function decision(action: ApprovalAction, token: string, extra: Record<string, string> = {}) {
  return postRequest({ action, token, name: NAME, ...extra });
}

function expectSecurityHeaders(response: HttpResponse): void {
  expect(response.headers).toMatchObject({
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
  const csp = response.headers['content-security-policy'] ?? '';
  for (const directive of [
    "default-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(csp).not.toContain('script-src');
}

/** Opens the link, expects the confirmation page, and returns the hidden fields of `action`'s form. */
async function formOf(h: Harness, link: string, action: ApprovalAction): Promise<Record<string, string>> {
  const page = await handleApprovalRequest(getRequest(tokenOf(link)), h.deps);
  expect(page.status).toBe(200);
  const fields = hiddenFields(page.body, action);
  if (!fields) throw new Error(`no ${action} form`);
  return fields;
}

describe('GET: the confirmation page', () => {
  it('says what the PoC’s policy does with data: kept, or deleted without copies', async () => {
    const h = await harness();
    const open = async (data: 'keep' | 'delete') =>
      pageText(
        (
          await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), {
            ...h.deps,
            teardownData: (poc) => (poc === h.recommendation.poc ? data : 'keep'),
          })
        ).body,
      );
    const kept = await open('keep');
    expect(kept).toContain('A final snapshot or backup is kept before deletion.');
    expect(kept).toContain('Data is kept.');
    expect(kept).not.toContain('unless the PoC’s policy says');
    const deleted = await open('delete');
    expect(deleted).toContain('Data is deleted.');
    expect(deleted).toContain('Deleted with its data: the PoC’s policy says teardown.data: delete.');
    expect(deleted).not.toContain('A final snapshot or backup is kept');
  });

  it('shows the PoC, each resource with its evidence, cost and what is kept, and changes nothing', async () => {
    const h = await harness();
    const before = await h.snapshot();
    const response = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), h.deps);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expectSecurityHeaders(response);
    const text = pageText(response.body);
    expect(text).toContain('Approve the teardown of chatbot-poc?');
    for (const label of ['NAT gateway', 'EBS volume', 'S3 bucket']) expect(text).toContain(label);
    for (const resource of h.recommendation.resources) {
      expect(response.body).toContain(`data-arn="${resource.arn}"`);
      expect(text).toContain(resource.evidence);
    }
    expect(text).toContain('32.85');
    expect(text).toContain('1.23');
    expect(text).toContain('42.08'); // the estimated monthly savings, rounded to cents
    expect(text).toContain('2 Oct 2026'); // idle since
    // Without the PoC's policy the page names both cases.
    expect(text).toContain(
      'A final snapshot or backup is kept before deletion, unless the PoC’s policy says teardown.data: delete.',
    );
    expect(text).toContain('Data-bearing resources keep a final snapshot or backup');
    expect(text).toContain('Awaiting a decision');
    expect(text).toContain('Proposed by pocketwatch');
    expect(response.body).not.toMatch(/<script/i);
    expect(response.body.match(/<h1[ >]/g)).toHaveLength(1);
    expect(response.body).toContain('<html lang="en">');

    expect(await h.snapshot()).toBe(before);
    expect(await h.store.wasUsed(h.nonce())).toBe(false);
    expect(h.decisions).toEqual([]);
  });

  it('prints amounts in the billing currency when it is known', async () => {
    const h = await harness();
    const response = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), {
      ...h.deps,
      currency: 'USD',
    });
    const text = pageText(response.body);
    expect(text).toContain('saves about $42.08 a month');
    expect(text).toContain('$32.85');
    const euro = pageText(
      (await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), { ...h.deps, currency: 'EUR' }))
        .body,
    );
    expect(euro).toContain('€42.08');
  });

  it('offers a form per allowed action, each with its own token for the same nonce, set and expiry', async () => {
    const h = await harness();
    const response = await handleApprovalRequest(getRequest(tokenOf(h.links.snooze)), h.deps);
    expect(offeredActions(response.body)).toEqual(['snooze', 'approve', 'reject']);
    const linkClaims = decodeUnverifiedClaims(tokenOf(h.links.snooze));
    for (const action of ['approve', 'reject', 'snooze'] as const) {
      const fields = hiddenFields(response.body, action);
      expect(fields?.action).toBe(action);
      const verified = verifyToken(fields?.token, APPROVAL_RING, {
        now: h.deps.now(),
        recommendationId: h.recommendation.id,
        action,
      });
      expect(verified.ok && verified.claims).toMatchObject({
        nonce: linkClaims?.nonce,
        resourceSetHash: linkClaims?.resourceSetHash,
        expiresAt: linkClaims?.expiresAt,
      });
    }
    // The link's own action reproduces the link's token (deterministic HMAC), and that is the only
    // place the token appears on the page.
    expect(hiddenFields(response.body, 'snooze')?.token).toBe(tokenOf(h.links.snooze));
    expect(response.body.split(tokenOf(h.links.snooze))).toHaveLength(2);
    expect(response.body).not.toContain('token=');
  });

  it('answers HEAD like GET, without a body, and changes nothing', async () => {
    const h = await harness();
    const before = await h.snapshot();
    const get = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), h.deps);
    const head = await handleApprovalRequest(getRequest(tokenOf(h.links.approve), 'HEAD'), h.deps);
    expect(head).toEqual({ ...get, body: '' });
    const expired = await handleApprovalRequest(getRequest('x.y', 'HEAD'), h.deps);
    expect(expired.status).toBe(400);
    expect(expired.body).toBe('');
    expect(await h.snapshot()).toBe(before);
  });

  it('shows a neutral landing page without a token', async () => {
    const h = await harness();
    for (const token of [undefined, '']) {
      const response = await handleApprovalRequest(getRequest(token), h.deps);
      expect(response.status).toBe(200);
      expectSecurityHeaders(response);
      expect(pageText(response.body)).toContain('Teardown approvals');
      expect(response.body).not.toContain('chatbot-poc');
      expect(offeredActions(response.body)).toEqual([]);
    }
  });

  it('accepts links signed with a previous key of the keyring', async () => {
    const h = await harness();
    const old: Keyring = { current: APPROVAL_RING.previous[0] as Keyring['current'], previous: [] };
    const links = messageLinks(h.recommendation, BASE_URL, PROPOSED_AT, old);
    const fields = await formOf(h, links.approve, 'approve');
    // The forms are signed with the current key, for the link's nonce.
    expect(decodeUnverifiedClaims(fields.token)).toMatchObject({
      keyId: APPROVAL_RING.current.id,
      nonce: decodeUnverifiedClaims(tokenOf(links.approve))?.nonce,
    });
    const response = await handleApprovalRequest(decision('approve', fields.token ?? ''), h.deps);
    expect(response.status).toBe(200);
    expect((await h.record()).state).toBe('approved');
  });
});

describe('POST: a decision', () => {
  it('approves once: records who, from where, spends the message, then calls onDecision', async () => {
    const h = await harness();
    const fields = await formOf(h, h.links.approve, 'approve');
    const response = await handleApprovalRequest(
      decision('approve', fields.token ?? '', { name: `  ${NAME}  ` }),
      h.deps,
    );
    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    expect(pageText(response.body)).toContain(
      'The teardown will run after a fresh re-check: nothing is deleted that is no longer idle, is protected or changed hands.',
    );
    const record = await h.record();
    expect(record).toMatchObject({ state: 'approved', version: 2 });
    expect(record.audit.at(-1)).toEqual({
      event: 'approve',
      actor: NAME,
      at: h.deps.now().toISOString(),
      from: 'link',
      address: '203.0.113.9 Mozilla/5.0 (test)',
      fromState: 'proposed',
      toState: 'approved',
      resourceSetHash: record.resourceSetHash,
      arns: h.recommendation.resources.map((resource) => resource.arn),
    });
    expect(await h.store.wasUsed(h.nonce())).toBe(true);
    expect(h.decisions).toHaveLength(1);
    expect(h.decisions[0]?.[1]).toBe('approve');
    expect(h.decisions[0]?.[0]).toEqual(record);
  });

  it('a second use of any link of the message shows already used and changes nothing', async () => {
    const h = await harness();
    const fields = await formOf(h, h.links.approve, 'approve');
    expect((await handleApprovalRequest(decision('approve', fields.token ?? ''), h.deps)).status).toBe(200);
    const after = await h.snapshot();
    for (const link of [h.links.approve, h.links.reject, h.links.snooze]) {
      const again = await handleApprovalRequest(getRequest(tokenOf(link)), h.deps);
      expect(again.status).toBe(410);
      expect(pageText(again.body)).toContain('This link was already used');
      expect(pageText(again.body)).toContain(`approved by ${NAME} on 19 Nov 2026, 07:00 UTC`);
      expect(offeredActions(again.body)).toEqual([]);
    }
    const replay = await handleApprovalRequest(decision('approve', fields.token ?? ''), h.deps);
    expect(replay.status).toBe(410);
    expect(await h.snapshot()).toBe(after);
    expect(h.decisions).toHaveLength(1);
  });

  it('rejects with a reason and snoozes until a later day', async () => {
    const rejecting = await harness();
    const reject = await formOf(rejecting, rejecting.links.reject, 'reject');
    const rejected = await handleApprovalRequest(
      decision('reject', reject.token ?? '', { reason: 'still used for the demo' }),
      rejecting.deps,
    );
    expect(rejected.status).toBe(200);
    expect(pageText(rejected.body)).toContain('Rejected');
    expect(await rejecting.record()).toMatchObject({
      state: 'rejected',
      rejectedReason: 'still used for the demo',
    });

    const snoozing = await harness();
    const snooze = await formOf(snoozing, snoozing.links.reject, 'snooze');
    const snoozed = await handleApprovalRequest(
      decision('snooze', snooze.token ?? '', { until: '2026-12-03' }),
      snoozing.deps,
    );
    expect(snoozed.status).toBe(200);
    expect(pageText(snoozed.body)).toContain('Snoozed until 3 Dec 2026');
    expect(await snoozing.record()).toMatchObject({ state: 'snoozed', snoozedUntil: '2026-12-03' });
    expect(snoozing.decisions.map(([, action]) => action)).toEqual(['snooze']);
  });

  it('suggests a snooze 14 days on, and accepts no day before tomorrow', async () => {
    const h = await harness();
    const page = await handleApprovalRequest(getRequest(tokenOf(h.links.snooze)), h.deps);
    expect(page.body).toContain('name="until" required min="2026-11-20" value="2026-12-03"');
  });

  it('refuses a form with a missing name, reason or day, keeps what was typed, and spends nothing', async () => {
    const h = await harness();
    const before = await h.snapshot();
    const approve = await formOf(h, h.links.approve, 'approve');
    const reject = await formOf(h, h.links.approve, 'reject');
    const snooze = await formOf(h, h.links.approve, 'snooze');
    const cases = [
      [postRequest({ action: 'approve', token: approve.token ?? '', name: '   ' }), 'approve-name'],
      [decision('reject', reject.token ?? '', { reason: '' }), 'reject-reason'],
      [decision('snooze', snooze.token ?? '', { until: '2026-11-19' }), 'snooze-until'],
      [decision('snooze', snooze.token ?? '', { until: 'next week' }), 'snooze-until'],
    ] as const;
    for (const [request, field] of cases) {
      const response = await handleApprovalRequest(request, h.deps);
      expect(response.status).toBe(400);
      expect(response.body).toContain(`id="${field}"`);
      expect(response.body).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      expect(response.body).toContain('role="alert"');
    }
    const typed = await handleApprovalRequest(
      decision('reject', reject.token ?? '', { reason: '', name: 'bob <b>' }),
      h.deps,
    );
    expect(typed.body).toContain('value="bob &lt;b&gt;"');
    expect(await h.snapshot()).toBe(before);
    expect(await h.store.wasUsed(h.nonce())).toBe(false);
    // The same link still works.
    expect((await handleApprovalRequest(decision('approve', approve.token ?? ''), h.deps)).status).toBe(200);
  });

  it('refuses a token for another action than the form’s, unspent', async () => {
    const h = await harness();
    const before = await h.snapshot();
    const reject = await formOf(h, h.links.reject, 'reject');
    const response = await handleApprovalRequest(decision('approve', reject.token ?? ''), h.deps);
    expect(response.status).toBe(400);
    expect(pageText(response.body)).toContain('This link is not valid');
    const unknownAction = await handleApprovalRequest(
      decision('delete' as ApprovalAction, reject.token ?? ''),
      h.deps,
    );
    expect(unknownAction.status).toBe(400);
    expect(await h.snapshot()).toBe(before);
    expect(await h.store.wasUsed(h.nonce())).toBe(false);
  });

  it('refuses other content types (415) and bodies over 16 KB (413), changing nothing', async () => {
    const h = await harness();
    const before = await h.snapshot();
    const approve = await formOf(h, h.links.approve, 'approve');
    const valid = decision('approve', approve.token ?? '');
    const json = await handleApprovalRequest(
      { ...valid, headers: { ...valid.headers, 'content-type': 'application/json' } },
      h.deps,
    );
    expect(json.status).toBe(415);
    const none = await handleApprovalRequest({ ...valid, headers: {} }, h.deps);
    expect(none.status).toBe(415);
    const padded = { ...valid, body: `${valid.body}&pad=${'x'.repeat(MAX_FORM_BYTES)}` };
    const large = await handleApprovalRequest(padded, h.deps);
    expect(large.status).toBe(413);
    expectSecurityHeaders(large);
    const declared = await handleApprovalRequest(
      { ...valid, headers: { ...valid.headers, 'content-length': String(MAX_FORM_BYTES + 1) } },
      h.deps,
    );
    expect(declared.status).toBe(413);
    expect(await h.snapshot()).toBe(before);
    // A form with its charset stated is fine.
    const withCharset = await handleApprovalRequest(
      {
        ...valid,
        headers: { ...valid.headers, 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      },
      h.deps,
    );
    expect(withCharset.status).toBe(200);
  });

  it('of concurrent posts of one token, exactly one is recorded', async () => {
    const h = await harness();
    const approve = await formOf(h, h.links.approve, 'approve');
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handleApprovalRequest(decision('approve', approve.token ?? '', { name: `person-${i}` }), h.deps),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 410)).toHaveLength(7);
    for (const response of responses.filter((r) => r.status === 410)) {
      expect(pageText(response.body)).toContain('This link was already used');
      expect(pageText(response.body)).not.toContain('now awaiting a decision');
    }
    const record = await h.record();
    expect(record.version).toBe(2);
    expect(record.audit.filter((entry) => entry.event === 'approve')).toHaveLength(1);
    expect(h.decisions).toHaveLength(1);
  });

  it('of concurrent decisions from two messages, the first wins and the other is told who decided', async () => {
    const h = await harness();
    const other = messageLinks(h.recommendation, BASE_URL);
    const approve = await formOf(h, h.links.approve, 'approve');
    const reject = await formOf(h, other.reject, 'reject');
    const [approved, rejected] = await Promise.all([
      handleApprovalRequest(decision('approve', approve.token ?? ''), h.deps),
      handleApprovalRequest(
        postRequest({ action: 'reject', token: reject.token ?? '', name: 'bob', reason: 'no' }),
        h.deps,
      ),
    ]);
    const statuses = [approved.status, rejected.status].sort();
    expect(statuses).toEqual([200, 409]);
    const record = await h.record();
    expect(['approved', 'rejected']).toContain(record.state);
    expect(record.version).toBe(2);
    const loser = approved.status === 409 ? approved : rejected;
    expect(pageText(loser.body)).toMatch(/Already (approved|rejected)/);
  });

  it('re-reads and retries when the record changed meanwhile, applying the decision to what is there now', async () => {
    const h = await harness();
    const approve = await formOf(h, h.links.approve, 'approve');
    let interfered = false;
    const store = h.store;
    const racing: ApprovalEndpointDeps['store'] = {
      recordProposals: (recommendations, at) => store.recordProposals(recommendations, at),
      getRecommendation: (id) => store.getRecommendation(id),
      listRecommendations: () => store.listRecommendations(),
      updateRecommendation: async (id, version, next) => {
        if (!interfered) {
          interfered = true;
          // Someone snoozes it from the command line just before this write lands.
          const current = await h.record();
          const snoozed = transition(
            current,
            { kind: 'snooze', until: '2026-12-24' },
            { actor: 'carol', at: h.deps.now(), from: 'cli' },
          );
          if (!snoozed.ok) throw new Error(snoozed.reason);
          await store.updateRecommendation(id, current.version, snoozed.record);
        }
        return store.updateRecommendation(id, version, next);
      },
    };
    const response = await handleApprovalRequest(decision('approve', approve.token ?? ''), {
      ...h.deps,
      store: racing,
    });
    expect(response.status).toBe(200);
    const record = await h.record();
    expect(record).toMatchObject({ state: 'approved', version: 3 });
    expect(record.audit.map((entry) => `${entry.event}:${entry.actor}`)).toEqual([
      'propose:pocketwatch',
      'snooze:carol',
      `approve:${NAME}`,
    ]);
  });

  it('keeps the decision and says so when starting the follow-up fails', async () => {
    const h = await harness();
    const approve = await formOf(h, h.links.approve, 'approve');
    const response = await handleApprovalRequest(decision('approve', approve.token ?? ''), {
      ...h.deps,
      onDecision: () => Promise.reject(new Error('state machine unavailable')),
    });
    expect(response.status).toBe(200);
    expect(pageText(response.body)).toContain('the teardown could not be started just now');
    expect((await h.record()).state).toBe('approved');
    expect(h.errors).toEqual([new Error('state machine unavailable')]);
  });
});

describe('links that cannot be used', () => {
  type Setup = (h: Harness) => Promise<string> | string;
  const cases: Array<[string, number, string, Setup]> = [
    ['malformed', 400, 'This link is not valid', () => 'not-a-token'],
    [
      'a changed signature',
      403,
      'This link is not valid',
      (h) => {
        const token = tokenOf(h.links.approve);
        const last = token.at(-2) === 'A' ? 'B' : 'A';
        return `${token.slice(0, -2)}${last}${token.at(-1)}`;
      },
    ],
    [
      'an unknown key',
      403,
      'This link is not valid',
      (h) => {
        const stranger: Keyring = { current: { id: '2026-11', secret: Buffer.alloc(32, 1) }, previous: [] };
        return tokenOf(messageLinks(h.recommendation, BASE_URL, PROPOSED_AT, stranger).approve);
      },
    ],
    [
      'an expired link',
      410,
      'This link has expired',
      (h) => {
        h.setNow(new Date(PROPOSED_AT.getTime() + 7 * 24 * HOUR));
        return tokenOf(h.links.approve);
      },
    ],
    [
      'an unknown recommendation',
      404,
      'Recommendation not found',
      () =>
        tokenOf(
          signApprovalLinks(
            { id: 'rec-unknown', resourceSetHash: 'b'.repeat(64) },
            { baseUrl: BASE_URL, keyring: APPROVAL_RING, now: PROPOSED_AT },
          ).approve,
        ),
    ],
    [
      'a changed resource set',
      409,
      'the resources changed since this link was sent; a newer recommendation replaces it',
      (h) =>
        tokenOf(
          signApprovalLinks(
            { id: h.recommendation.id, resourceSetHash: 'c'.repeat(64) },
            { baseUrl: BASE_URL, keyring: APPROVAL_RING, now: PROPOSED_AT },
          ).approve,
        ),
    ],
    [
      'a decision already taken elsewhere',
      409,
      'Already approved',
      async (h) => {
        const record = await h.record();
        const approved = transition(
          record,
          { kind: 'approve' },
          { actor: 'bob', at: PROPOSED_AT, from: 'cli' },
        );
        if (!approved.ok) throw new Error(approved.reason);
        await h.store.updateRecommendation(record.id, record.version, approved.record);
        return tokenOf(h.links.reject);
      },
    ],
  ];

  for (const [name, status, message, setup] of cases) {
    it(`${name}: ${status}, a page that says so, and no change on GET or POST`, async () => {
      const h = await harness();
      const token = await setup(h);
      const before = await h.snapshot();
      const shown = await handleApprovalRequest(getRequest(token), h.deps);
      expect(shown.status).toBe(status);
      expectSecurityHeaders(shown);
      expect(pageText(shown.body).toLowerCase()).toContain(message.toLowerCase());
      expect(pageText(shown.body)).toContain('No change was made.');
      expect(offeredActions(shown.body)).toEqual([]);
      const action = decodeUnverifiedClaims(token)?.action ?? 'approve';
      const posted = await handleApprovalRequest(
        decision(action, token, { reason: 'r', until: '2026-12-24' }),
        h.deps,
      );
      expect(posted.status).toBe(status);
      expect(await h.snapshot()).toBe(before);
      expect(h.decisions).toEqual([]);
    });
  }

  it('names who decided and when, for a decision already taken', async () => {
    const h = await harness();
    const record = await h.record();
    const at = new Date('2026-11-19T06:30:00Z');
    const approved = transition(record, { kind: 'approve' }, { actor: 'bob', at, from: 'cli' });
    if (!approved.ok) throw new Error(approved.reason);
    await h.store.updateRecommendation(record.id, record.version, approved.record);
    const response = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), h.deps);
    expect(response.status).toBe(409);
    expect(pageText(response.body)).toContain('It was already approved by bob on 19 Nov 2026, 06:30 UTC.');
  });

  it('says the same about every invalid link, revealing nothing about it', async () => {
    const h = await harness();
    const pages = await Promise.all(
      ['x', `${tokenOf(h.links.approve)}x`, tokenOf(h.links.approve).replace('.', '..')].map((token) =>
        handleApprovalRequest(getRequest(token), h.deps),
      ),
    );
    const stranger: Keyring = { current: { id: 'other', secret: Buffer.alloc(32, 2) }, previous: [] };
    pages.push(
      await handleApprovalRequest(
        getRequest(tokenOf(messageLinks(h.recommendation, BASE_URL, PROPOSED_AT, stranger).approve)),
        h.deps,
      ),
    );
    const bodies = new Set(pages.map((page) => page.body));
    expect(bodies.size).toBe(1);
    const [body] = bodies;
    expect(body).not.toContain('chatbot-poc');
    expect(body).not.toContain(h.recommendation.id);
  });

  it('allows only GET, HEAD and POST (405 with Allow)', async () => {
    const h = await harness();
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await handleApprovalRequest(getRequest(tokenOf(h.links.approve), method), h.deps);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD, POST');
      expectSecurityHeaders(response);
    }
  });

  it('gives the link back when the decision cannot be recorded, so it works when opened again', async () => {
    const h = await harness();
    const fields = await formOf(h, h.links.approve, 'approve');
    const failing = {
      ...h.deps,
      store: Object.assign(Object.create(h.store) as LocalStateStore, {
        updateRecommendation: () => Promise.reject(new Error('throttled')),
      }),
    };
    const response = await handleApprovalRequest(decision('approve', fields.token ?? ''), failing);
    expect(response.status).toBe(500);
    expect(h.errors).toEqual([new Error('throttled')]);
    expect(await h.store.wasUsed(h.nonce())).toBe(false);
    expect((await h.record()).state).toBe('proposed');

    const again = await handleApprovalRequest(decision('approve', fields.token ?? ''), h.deps);
    expect(again.status).toBe(200);
    expect((await h.record()).state).toBe('approved');
    expect(await h.store.wasUsed(h.nonce())).toBe(true);
  });

  it('answers a failing store with a 500 page and reports the error', async () => {
    const h = await harness();
    const failing = {
      ...h.deps,
      store: { ...h.deps.store, getRecommendation: () => Promise.reject(new Error('disk')) },
    };
    const response = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), failing);
    expect(response.status).toBe(500);
    expectSecurityHeaders(response);
    expect(pageText(response.body)).toContain('Something went wrong');
    expect(h.errors).toEqual([new Error('disk')]);
  });
});

describe('page safety', () => {
  it('escapes hostile PoC names, evidence and audit entries', async () => {
    const hostile = sampleRecommendation({
      poc: '<script>alert("poc")</script>',
      resources: [
        {
          ...sampleRecommendation().resources[0],
          arn: 'arn:aws:s3:::x"><img src=x onerror=alert(1)>',
          type: 's3:bucket',
          evidence: '</td><script>alert("evidence")</script>',
          holdsData: true,
        } as Recommendation['resources'][number],
      ],
    });
    const h = await harness(hostile);
    const page = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), h.deps);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).not.toMatch(/<img/i);
    expect(page.body).toContain('&lt;script&gt;alert(&quot;poc&quot;)&lt;/script&gt;');
    expect(page.body).toContain('&lt;/td&gt;&lt;script&gt;alert(&quot;evidence&quot;)&lt;/script&gt;');

    const fields = hiddenFields(page.body, 'reject');
    const rejected = await handleApprovalRequest(
      postRequest({
        action: 'reject',
        token: fields?.token ?? '',
        name: '<b onmouseover=alert(1)>mallory</b>',
        reason: '<script>alert("reason")</script>\u001b[31m',
      }),
      h.deps,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).not.toMatch(/<script|<b /i);
    const record = await h.record();
    // Control characters never reach the audit trail (the CLI prints it to terminals).
    expect(record.rejectedReason).not.toContain('\u001b');
  });

  it('allows exactly its own stylesheet by hash, and no script', async () => {
    const h = await harness();
    const response = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), h.deps);
    const css = /<style>([\s\S]*?)<\/style>/.exec(response.body)?.[1] ?? '';
    const hash = createHash('sha256').update(css, 'utf8').digest('base64');
    expect(response.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`);
    expect(response.body.match(/<style>/g)).toHaveLength(1);
    expect(response.body).not.toMatch(/ style="/);
    expect(response.body).not.toMatch(/ on[a-z]+="/);
  });

  it('labels every field and describes the resources table for screen readers', async () => {
    const h = await harness();
    const { body } = await handleApprovalRequest(getRequest(tokenOf(h.links.approve)), h.deps);
    const ids = [...body.matchAll(/<(?:input|textarea)(?![^>]*type="hidden")[^>]*id="([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(ids.length).toBeGreaterThanOrEqual(5);
    for (const id of ids) expect(body).toContain(`<label for="${id}">`);
    expect(body).toMatch(/<caption[^>]*>[^<]*resources proposed for teardown<\/caption>/);
    expect(body.match(/<th scope="col"/g)).toHaveLength(5);
    expect(body.match(/<th scope="row"/g)).toHaveLength(h.recommendation.resources.length);
  });
});
