import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, type TokenClaims } from '../../../src/approval/approval-token.js';
import type { Keyring } from '../../../src/approval/keyring.js';
import { resourceSetHash } from '../../../src/approval/resource-set-hash.js';
import {
  InMemoryUsedTokenStore,
  type RedeemExpectations,
  redeemToken,
  type UsedTokenStore,
} from '../../../src/approval/used-tokens.js';
import { at, claims, keyring } from './arbitraries.js';

const RING: Keyring = { current: { id: 'k1', secret: Buffer.alloc(32, 3) }, previous: [] };
const BASE = {
  recommendationId: 'abc123',
  resourceSetHash: resourceSetHash(['arn:aws:s3:::bucket']),
  action: 'approve',
  expiresAt: 2_000_000_000,
} as const;
const EXPECT: RedeemExpectations = {
  now: at(BASE.expiresAt - 3600),
  recommendationId: BASE.recommendationId,
  resourceSetHash: BASE.resourceSetHash,
  action: BASE.action,
};

describe('InMemoryUsedTokenStore', () => {
  it('marks a nonce once, and tells whether it was used without spending it', async () => {
    const store = new InMemoryUsedTokenStore();
    expect(await store.wasUsed('n1')).toBe(false);
    expect(store.size).toBe(0);
    expect(store.markUsed('n1', 10)).toBe(true);
    expect(await store.wasUsed('n1')).toBe(true);
    expect(store.markUsed('n1', 10)).toBe(false);
    expect(store.markUsed('n2', 10)).toBe(true);
    expect(store.has('n1')).toBe(true);
    expect(store.size).toBe(2);
  });

  it('forgets only expired nonces when purged', () => {
    const store = new InMemoryUsedTokenStore();
    store.markUsed('old', 100);
    store.markUsed('new', 200);
    expect(store.purgeExpired(at(100))).toBe(1);
    expect(store.has('old')).toBe(false);
    expect(store.markUsed('new', 200)).toBe(false);
  });
});

describe('redeemToken', () => {
  it('redeems any valid token once; a replay is refused as used', async () => {
    await fc.assert(
      fc.asyncProperty(claims, keyring, async (c, ring) => {
        const store = new InMemoryUsedTokenStore();
        const token = signToken(c, ring);
        const expectations = { now: at(c.expiresAt - 1), ...c } satisfies RedeemExpectations;
        expect(await redeemToken(token, ring, store, expectations)).toEqual({
          ok: true,
          claims: { ...c, keyId: ring.current.id } satisfies TokenClaims,
        });
        expect(await redeemToken(token, ring, store, expectations)).toEqual({ ok: false, reason: 'used' });
        expect(await redeemToken(token, ring, store, expectations)).toEqual({ ok: false, reason: 'used' });
      }),
    );
  });

  it('does not spend a token that fails verification', async () => {
    const store = new InMemoryUsedTokenStore();
    const token = signToken(BASE, RING);
    expect(await redeemToken(token, RING, store, { ...EXPECT, action: 'reject' })).toEqual({
      ok: false,
      reason: 'wrong-action',
    });
    expect(
      await redeemToken(token, RING, store, { ...EXPECT, resourceSetHash: resourceSetHash([]) }),
    ).toEqual({
      ok: false,
      reason: 'superseded',
    });
    expect(store.size).toBe(0);
    expect((await redeemToken(token, RING, store, EXPECT)).ok).toBe(true);
  });

  it('keeps two links for the same recommendation and action independent', async () => {
    const store = new InMemoryUsedTokenStore();
    const first = signToken(BASE, RING);
    const second = signToken(BASE, RING);
    expect((await redeemToken(first, RING, store, EXPECT)).ok).toBe(true);
    expect((await redeemToken(second, RING, store, EXPECT)).ok).toBe(true);
    expect(await redeemToken(first, RING, store, EXPECT)).toEqual({ ok: false, reason: 'used' });
  });

  it('lets exactly one of concurrent redemptions through with an asynchronous store', async () => {
    const used = new Set<string>();
    const asyncStore: UsedTokenStore = {
      async markUsed(nonce) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (used.has(nonce)) return false;
        used.add(nonce);
        return true;
      },
      async wasUsed(nonce) {
        return used.has(nonce);
      },
      async releaseUsed(nonce) {
        used.delete(nonce);
      },
    };
    const token = signToken(BASE, RING);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => redeemToken(token, RING, asyncStore, EXPECT)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(4);
  });

  it('passes the nonce and expiry to the store and propagates its failures', async () => {
    const calls: Array<[string, number]> = [];
    const failing: UsedTokenStore = {
      markUsed(nonce, expiresAt) {
        calls.push([nonce, expiresAt]);
        throw new Error('store down');
      },
      wasUsed: () => Promise.reject(new Error('store down')),
      releaseUsed: () => Promise.reject(new Error('store down')),
    };
    const token = signToken({ ...BASE, nonce: Buffer.alloc(16, 5).toString('base64url') }, RING);
    await expect(redeemToken(token, RING, failing, EXPECT)).rejects.toThrow('store down');
    expect(calls).toEqual([[Buffer.alloc(16, 5).toString('base64url'), BASE.expiresAt]]);
  });

  it('reports expired rather than used for a replay after expiry', async () => {
    const store = new InMemoryUsedTokenStore();
    const token = signToken(BASE, RING);
    expect((await redeemToken(token, RING, store, EXPECT)).ok).toBe(true);
    expect(await redeemToken(token, RING, store, { ...EXPECT, now: at(BASE.expiresAt) })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
});
