import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApprovalEndpointDeps, handleApprovalRequest } from '../../../src/approval/approval-endpoint.js';
import { APPROVAL_ACTIONS } from '../../../src/approval/approval-token.js';
import {
  APPROVAL_RING,
  messageLinks,
  PROPOSED_AT,
  recordedState,
  sampleRecommendation,
  tokenOf,
} from '../../support/approval-fixtures.js';
import { getRequest, postRequest } from '../../support/approval-requests.js';

/** Characters a tampered token might carry: the whole token alphabet, and some that are not in it. */
const REPLACEMENTS = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  '.',
  '=',
  '+',
  '/',
  '%',
  ' ',
  'é',
];

describe('a tampered token', () => {
  it('never changes anything, whichever single character is changed, for any action', async () => {
    const recommendation = sampleRecommendation();
    const now = new Date(PROPOSED_AT.getTime() + 3_600_000);
    const { path, store } = await recordedState(recommendation, () => now);
    const deps: ApprovalEndpointDeps = { keyring: APPROVAL_RING, store, usedTokens: store, now: () => now };
    const links = messageLinks(recommendation, 'https://approve.example.com/');
    const before = await readFile(path, 'utf8');

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...APPROVAL_ACTIONS),
        fc.nat(),
        fc.constantFrom(...REPLACEMENTS),
        async (action, position, replacement) => {
          const token = tokenOf(links[action]);
          const index = position % token.length;
          fc.pre(token[index] !== replacement);
          const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
          const form = { action, token: tampered, name: 'mallory', reason: 'r', until: '2026-12-24' };
          const posted = await handleApprovalRequest(postRequest(form), deps);
          expect([400, 403]).toContain(posted.status);
          const shown = await handleApprovalRequest(getRequest(tampered), deps);
          expect([400, 403]).toContain(shown.status);
          expect(await readFile(path, 'utf8')).toBe(before);
        },
      ),
      { numRuns: 300 },
    );

    // The untampered link does change the state: the property above was not vacuous.
    const valid = { action: 'approve', token: tokenOf(links.approve), name: 'alice' };
    expect((await handleApprovalRequest(postRequest(valid), deps)).status).toBe(200);
    expect(await readFile(path, 'utf8')).not.toBe(before);
  });
});
