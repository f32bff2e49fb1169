import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_LINK_TTL_SECONDS,
  ApprovalUrlError,
  signApprovalLinks,
} from '../../../src/approval/approval-links.js';
import {
  APPROVAL_ACTIONS,
  decodeUnverifiedClaims,
  verifyToken,
} from '../../../src/approval/approval-token.js';
import type { Keyring } from '../../../src/approval/keyring.js';
import { hexHash, keyring, recommendationId } from './arbitraries.js';

const RING: Keyring = { current: { id: 'k1', secret: Buffer.alloc(32, 9) }, previous: [] };
const NOW = new Date('2026-11-19T06:00:00.500Z');
const TARGET = { id: 'rec-1', resourceSetHash: 'a'.repeat(64) };

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token') ?? '';
}

describe('signApprovalLinks', () => {
  it('signs the three links of a message with one nonce, each for its own action, valid for 7 days', () => {
    fc.assert(
      fc.property(
        recommendationId,
        hexHash,
        keyring,
        fc.date({ noInvalidDate: true }),
        (id, hash, ring, now) => {
          fc.pre(now.getTime() > 0 && now.getTime() < 8e15);
          const links = signApprovalLinks(
            { id, resourceSetHash: hash },
            { baseUrl: 'https://approve.example.com/', keyring: ring, now },
          );
          expect(Object.keys(links).sort()).toEqual([...APPROVAL_ACTIONS].sort());
          const claims = APPROVAL_ACTIONS.map((action) => decodeUnverifiedClaims(tokenOf(links[action])));
          expect(new Set(claims.map((c) => c?.nonce)).size).toBe(1);
          for (const [index, action] of APPROVAL_ACTIONS.entries()) {
            expect(claims[index]).toMatchObject({
              recommendationId: id,
              resourceSetHash: hash,
              action,
              expiresAt: Math.floor(now.getTime() / 1000) + APPROVAL_LINK_TTL_SECONDS,
              keyId: ring.current.id,
            });
            const verified = verifyToken(tokenOf(links[action]), ring, {
              now,
              recommendationId: id,
              resourceSetHash: hash,
              action,
            });
            expect(verified.ok).toBe(true);
          }
        },
      ),
    );
  });

  it('draws a new nonce for each message unless one is given', () => {
    const options = { baseUrl: 'https://approve.example.com/', keyring: RING, now: NOW };
    const first = decodeUnverifiedClaims(tokenOf(signApprovalLinks(TARGET, options).approve));
    const second = decodeUnverifiedClaims(tokenOf(signApprovalLinks(TARGET, options).approve));
    expect(first?.nonce).not.toBe(second?.nonce);
    const nonce = Buffer.alloc(16, 1).toString('base64url');
    const fixed = signApprovalLinks(TARGET, { ...options, nonce });
    expect(signApprovalLinks(TARGET, { ...options, nonce })).toEqual(fixed);
    expect(decodeUnverifiedClaims(tokenOf(fixed.snooze))?.nonce).toBe(nonce);
  });

  it('keeps the base URL’s path and query, and sets only the token', () => {
    const links = signApprovalLinks(TARGET, {
      baseUrl: 'https://example.com/pocketwatch/act?team=data',
      keyring: RING,
      now: NOW,
    });
    const url = new URL(links.reject);
    expect(url.origin + url.pathname).toBe('https://example.com/pocketwatch/act');
    expect([...url.searchParams.keys()]).toEqual(['team', 'token']);
    expect(decodeUnverifiedClaims(url.searchParams.get('token'))?.action).toBe('reject');
  });

  it('refuses a base URL that is not absolute http(s)', () => {
    for (const baseUrl of ['', 'approve.example.com', '/relative', 'javascript:alert(1)', 'mailto:a@b.c']) {
      expect(() => signApprovalLinks(TARGET, { baseUrl, keyring: RING, now: NOW })).toThrow(ApprovalUrlError);
    }
  });
});
