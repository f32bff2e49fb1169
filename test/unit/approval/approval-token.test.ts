import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  APPROVAL_ACTIONS,
  ApprovalTokenError,
  decodeUnverifiedClaims,
  MAX_TOKEN_LENGTH,
  signToken,
  type TokenClaims,
  verifyToken,
} from '../../../src/approval/approval-token.js';
import { type Keyring, KeyringError } from '../../../src/approval/keyring.js';
import { resourceSetHash } from '../../../src/approval/resource-set-hash.js';
import {
  action,
  at,
  claims,
  isCanonicalBase64url,
  key,
  keyring,
  keyringAndStranger,
  secret,
  signRawPayload,
} from './arbitraries.js';

const RING: Keyring = {
  current: { id: '2026-11', secret: Buffer.alloc(32, 7) },
  previous: [{ id: '2026-08', secret: Buffer.alloc(32, 9) }],
};
const HASH = resourceSetHash(['arn:aws:ec2:eu-west-1:123456789012:natgateway/nat-1']);
const BASE: TokenClaims = {
  recommendationId: '0123456789abcdef',
  resourceSetHash: HASH,
  action: 'approve',
  expiresAt: 1_900_000_000,
  nonce: Buffer.alloc(16, 1).toString('base64url'),
  keyId: '2026-11',
};
const BEFORE = at(BASE.expiresAt - 60);

function expectationsFor(c: Pick<TokenClaims, 'recommendationId' | 'resourceSetHash' | 'action'>) {
  return { recommendationId: c.recommendationId, resourceSetHash: c.resourceSetHash, action: c.action };
}

describe('signToken / verifyToken round trip', () => {
  it('verifies any valid claims and returns them with the signing key id', () => {
    fc.assert(
      fc.property(claims, keyring, (c, ring) => {
        const token = signToken(c, ring);
        expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
        expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
        const result = verifyToken(token, ring, { now: at(c.expiresAt - 1), ...expectationsFor(c) });
        expect(result).toEqual({ ok: true, claims: { ...c, keyId: ring.current.id } });
      }),
    );
  });

  it('verifies without expectations too (only signature and expiry)', () => {
    fc.assert(
      fc.property(claims, keyring, (c, ring) => {
        expect(verifyToken(signToken(c, ring), ring, { now: at(0) }).ok).toBe(true);
      }),
    );
  });

  it('draws a fresh random 128-bit nonce when none is given', () => {
    const { nonce: _ignored, ...withoutNonce } = BASE;
    const a = decodeUnverifiedClaims(signToken(withoutNonce, RING));
    const b = decodeUnverifiedClaims(signToken(withoutNonce, RING));
    expect(a?.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a?.nonce ?? '', 'base64url')).toHaveLength(16);
    expect(a?.nonce).not.toBe(b?.nonce);
  });

  it('ignores a keyId smuggled into the claims and writes the current key id', () => {
    const token = signToken({ ...BASE, keyId: 'attacker' } as TokenClaims, RING);
    expect(decodeUnverifiedClaims(token)?.keyId).toBe('2026-11');
  });
});

describe('tampered tokens', () => {
  it('refuses any single-character change of payload or signature, with the exact reason', () => {
    fc.assert(
      fc.property(
        claims,
        keyring,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (c, ring, rawPosition, code) => {
          const token = signToken(c, ring);
          const position = rawPosition % token.length;
          fc.pre(token.charCodeAt(position) !== code);
          const tampered = token.slice(0, position) + String.fromCharCode(code) + token.slice(position + 1);
          const result = verifyToken(tampered, ring, { now: at(c.expiresAt - 1), ...expectationsFor(c) });
          expect(result.ok).toBe(false);

          const dot = token.indexOf('.');
          let expected: string;
          if (position > dot) {
            // Payload untouched: either the MAC no longer parses, or it parses and does not match.
            expected = isCanonicalBase64url(tampered.slice(dot + 1), 32) ? 'bad-signature' : 'malformed';
          } else {
            const decoded = decodeUnverifiedClaims(tampered);
            expected =
              decoded === undefined
                ? 'malformed'
                : [ring.current, ...ring.previous].some((k) => k.id === decoded.keyId)
                  ? 'bad-signature'
                  : 'unknown-key';
          }
          expect(result).toEqual({ ok: false, reason: expected });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses well-formed changed claims under the original signature as bad-signature', () => {
    const changes = fc.oneof(
      action.map((a) => ({ action: a })),
      fc.integer({ min: 1, max: 1000 }).map((d) => ({ expiresAt: BASE.expiresAt + d })),
      fc.constantFrom({ recommendationId: 'fedcba9876543210' }, { resourceSetHash: resourceSetHash(['x']) }),
      fc
        .uint8Array({ minLength: 16, maxLength: 16 })
        .map((b) => ({ nonce: Buffer.from(b).toString('base64url') })),
    );
    fc.assert(
      fc.property(changes, (change) => {
        const token = signToken(BASE, RING);
        const changed = { ...BASE, ...change };
        fc.pre(JSON.stringify(changed) !== JSON.stringify(BASE));
        const payload = Buffer.from(JSON.stringify(changed)).toString('base64url');
        const forged = `${payload}.${token.split('.')[1]}`;
        expect(verifyToken(forged, RING, { now: BEFORE })).toEqual({ ok: false, reason: 'bad-signature' });
      }),
    );
  });

  it('refuses a signature moved from another token', () => {
    const one = signToken({ ...BASE, action: 'approve' }, RING);
    const two = signToken({ ...BASE, action: 'reject' }, RING);
    const spliced = `${two.split('.')[0]}.${one.split('.')[1]}`;
    expect(verifyToken(spliced, RING, { now: BEFORE })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('forged tokens', () => {
  it('refuses a token signed with a key the keyring does not hold as unknown-key', () => {
    fc.assert(
      fc.property(claims, keyringAndStranger, (c, { ring, stranger }) => {
        const token = signToken(c, { current: stranger, previous: [] });
        expect(verifyToken(token, ring, { now: at(c.expiresAt - 1) })).toEqual({
          ok: false,
          reason: 'unknown-key',
        });
      }),
    );
  });

  it('refuses a token signed with another secret under a known key id as bad-signature', () => {
    fc.assert(
      fc.property(claims, keyring, secret, (c, ring, otherSecret) => {
        fc.pre(!otherSecret.equals(ring.current.secret));
        const token = signToken(c, { current: { id: ring.current.id, secret: otherSecret }, previous: [] });
        expect(verifyToken(token, ring, { now: at(c.expiresAt - 1) })).toEqual({
          ok: false,
          reason: 'bad-signature',
        });
      }),
    );
  });

  it('refuses valid claims with a random 32-byte MAC as bad-signature', () => {
    fc.assert(
      fc.property(claims, keyring, fc.uint8Array({ minLength: 32, maxLength: 32 }), (c, ring, bytes) => {
        const payload = signToken(c, ring).split('.')[0];
        const forged = `${payload}.${Buffer.from(bytes).toString('base64url')}`;
        expect(verifyToken(forged, ring, { now: at(c.expiresAt - 1) })).toEqual({
          ok: false,
          reason: 'bad-signature',
        });
      }),
    );
  });

  it('refuses random bytes in both segments as malformed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (payload, mac) => {
          const forged = `${Buffer.from(payload).toString('base64url')}.${Buffer.from(mac).toString('base64url')}`;
          expect(verifyToken(forged, RING, { now: BEFORE })).toEqual({ ok: false, reason: 'malformed' });
        },
      ),
    );
  });

  it('refuses a token without a signature, or with a truncated one, as malformed', () => {
    const token = signToken(BASE, RING);
    const [payload, mac] = token.split('.') as [string, string];
    for (const bad of [payload, `${payload}.`, `${payload}.${mac.slice(0, 42)}`, `${payload}.${mac}AA`]) {
      expect(verifyToken(bad, RING, { now: BEFORE })).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('expiry', () => {
  it('refuses at and after expiresAt, accepts just before', () => {
    fc.assert(
      fc.property(claims, fc.integer({ min: 0, max: 10 ** 9 }), (c, after) => {
        const token = signToken(c, RING);
        fc.pre(c.expiresAt + after <= 8_640_000_000_000);
        expect(verifyToken(token, RING, { now: at(c.expiresAt) })).toEqual({ ok: false, reason: 'expired' });
        expect(verifyToken(token, RING, { now: at(c.expiresAt + after) })).toEqual({
          ok: false,
          reason: 'expired',
        });
        expect(verifyToken(token, RING, { now: new Date(c.expiresAt * 1000 - 1) }).ok).toBe(true);
      }),
    );
  });

  it('reports expired before any expectation mismatch (an old link reveals nothing else)', () => {
    const token = signToken(BASE, RING);
    const result = verifyToken(token, RING, {
      now: at(BASE.expiresAt),
      recommendationId: 'other',
      action: 'reject',
      resourceSetHash: resourceSetHash(['other']),
    });
    expect(result).toEqual({ ok: false, reason: 'expired' });
  });

  it('throws on an invalid clock rather than accepting', () => {
    expect(() => verifyToken(signToken(BASE, RING), RING, { now: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe('expectations', () => {
  it('refuses a token used for another action as wrong-action', () => {
    fc.assert(
      fc.property(claims, action, (c, performed) => {
        fc.pre(performed !== c.action);
        const result = verifyToken(signToken(c, RING), RING, {
          now: at(c.expiresAt - 1),
          ...expectationsFor(c),
          action: performed,
        });
        expect(result).toEqual({ ok: false, reason: 'wrong-action' });
      }),
    );
  });

  it('refuses a token whose resource set is no longer the recommendation’s as superseded', () => {
    const arns = fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(arns, arns, action, (signedSet, currentSet, a) => {
        fc.pre(
          new Set(signedSet).size !== new Set(currentSet).size ||
            signedSet.some((x) => !currentSet.includes(x)),
        );
        const token = signToken({ ...BASE, action: a, resourceSetHash: resourceSetHash(signedSet) }, RING);
        const result = verifyToken(token, RING, {
          now: BEFORE,
          recommendationId: BASE.recommendationId,
          action: a,
          resourceSetHash: resourceSetHash(currentSet),
        });
        expect(result).toEqual({ ok: false, reason: 'superseded' });
      }),
    );
  });

  it('accepts the same resource set in another order or with repeats', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 8 }), (set) => {
        const token = signToken({ ...BASE, resourceSetHash: resourceSetHash(set) }, RING);
        const current = resourceSetHash([...set].reverse().concat(set));
        expect(verifyToken(token, RING, { now: BEFORE, resourceSetHash: current }).ok).toBe(true);
      }),
    );
  });

  it('refuses a token for another recommendation as wrong-recommendation', () => {
    fc.assert(
      fc.property(claims, claims, (c, other) => {
        fc.pre(c.recommendationId !== other.recommendationId);
        const result = verifyToken(signToken(c, RING), RING, {
          now: at(c.expiresAt - 1),
          ...expectationsFor(c),
          recommendationId: other.recommendationId,
        });
        expect(result).toEqual({ ok: false, reason: 'wrong-recommendation' });
      }),
    );
  });

  it('checks recommendation, then action, then resource set', () => {
    const token = signToken(BASE, RING);
    const otherSet = resourceSetHash(['other']);
    const all = {
      now: BEFORE,
      recommendationId: 'other',
      action: 'reject' as const,
      resourceSetHash: otherSet,
    };
    expect(verifyToken(token, RING, all)).toEqual({ ok: false, reason: 'wrong-recommendation' });
    expect(verifyToken(token, RING, { ...all, recommendationId: BASE.recommendationId })).toEqual({
      ok: false,
      reason: 'wrong-action',
    });
    expect(
      verifyToken(token, RING, { ...all, recommendationId: BASE.recommendationId, action: 'approve' }),
    ).toEqual({ ok: false, reason: 'superseded' });
  });
});

describe('key rotation', () => {
  it('still verifies a token signed with the previous key; refuses it once the key is removed', () => {
    fc.assert(
      fc.property(claims, key, key, (c, oldKey, newKey) => {
        fc.pre(oldKey.id !== newKey.id);
        const token = signToken(c, { current: oldKey, previous: [] });
        const rotated: Keyring = { current: newKey, previous: [oldKey] };
        const now = { now: at(c.expiresAt - 1) };
        expect(verifyToken(token, rotated, now)).toEqual({ ok: true, claims: { ...c, keyId: oldKey.id } });
        // New links are signed with the new key and verify too.
        expect(decodeUnverifiedClaims(signToken(c, rotated))?.keyId).toBe(newKey.id);
        expect(verifyToken(signToken(c, rotated), rotated, now).ok).toBe(true);
        const removed: Keyring = { current: newKey, previous: [] };
        expect(verifyToken(token, removed, now)).toEqual({ ok: false, reason: 'unknown-key' });
      }),
    );
  });

  it('refuses a token when its key id is reused for a new secret', () => {
    const token = signToken(BASE, RING);
    const reused: Keyring = { current: { id: '2026-11', secret: Buffer.alloc(32, 8) }, previous: [] };
    expect(verifyToken(token, reused, { now: BEFORE })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('malformed input', () => {
  const now = { now: BEFORE };

  it('never throws on arbitrary strings and calls them malformed', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (text) => {
          expect(verifyToken(text, RING, now)).toEqual({ ok: false, reason: 'malformed' });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on base64url-looking dotted strings and calls them malformed', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        expect(verifyToken(segments.join('.'), RING, now)).toEqual({ ok: false, reason: 'malformed' });
      }),
    );
  });

  it('refuses empty, non-string and oversized input', () => {
    const valid = signToken(BASE, RING);
    const oversized = [
      'A'.repeat(MAX_TOKEN_LENGTH + 1),
      `${valid}${'A'.repeat(MAX_TOKEN_LENGTH)}`,
      'x'.repeat(10_000_000),
      signRawPayload(JSON.stringify({ ...BASE, pad: 'p'.repeat(MAX_TOKEN_LENGTH) }), RING.current),
    ];
    for (const input of ['', '.', '..', undefined, null, 42, [valid], { token: valid }, ...oversized]) {
      expect(verifyToken(input, RING, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('does not even decode a token longer than 2 KB', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const padded = signRawPayload(
        JSON.stringify({ ...BASE, pad: 'p'.repeat(MAX_TOKEN_LENGTH) }),
        RING.current,
      );
      expect(verifyToken(padded, RING, now)).toEqual({ ok: false, reason: 'malformed' });
      expect(parse).not.toHaveBeenCalled();
      verifyToken(signToken(BASE, RING), RING, now);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('refuses correctly signed payloads that are not exactly valid claims', () => {
    const { keyId: _k, ...withoutKeyId } = BASE;
    const payloads: string[] = [
      JSON.stringify({ ...BASE, extra: 1 }),
      JSON.stringify(BASE).replace(/\}$/, ',"__proto__":{"admin":true}}'),
      JSON.stringify(withoutKeyId),
      JSON.stringify({ ...BASE, expiresAt: 1_900_000_000.5 }),
      JSON.stringify({ ...BASE, expiresAt: '1900000000' }),
      JSON.stringify({ ...BASE, expiresAt: 0 }),
      JSON.stringify({ ...BASE, expiresAt: -5 }),
      JSON.stringify({ ...BASE, expiresAt: 2 ** 53 }),
      JSON.stringify({ ...BASE, action: 'delete' }),
      JSON.stringify({ ...BASE, resourceSetHash: HASH.toUpperCase() }),
      JSON.stringify({ ...BASE, nonce: 'short' }),
      JSON.stringify({ ...BASE, recommendationId: '' }),
      JSON.stringify({ ...BASE, keyId: null }),
      JSON.stringify([BASE]),
      'null',
      '{',
      // Right fields, non-canonical encoding: other order, whitespace, a duplicate key, exponent form.
      JSON.stringify(Object.fromEntries(Object.entries(BASE).reverse())),
      JSON.stringify(BASE).replace(/^\{/, '{ '),
      JSON.stringify(BASE, null, 1),
      JSON.stringify(BASE).replace('"action":"approve"', '"action":"reject","action":"approve"'),
      JSON.stringify(BASE).replace(String(BASE.expiresAt), '1.9e9'),
      JSON.stringify(BASE).replace('approve', '\\u0061pprove'),
    ];
    for (const payload of payloads) {
      expect({ payload, result: verifyToken(signRawPayload(payload, RING.current), RING, now) }).toEqual({
        payload,
        result: { ok: false, reason: 'malformed' },
      });
    }
    // The helper itself makes tokens the verifier accepts when the payload is canonical.
    expect(verifyToken(signRawPayload(JSON.stringify(BASE), RING.current), RING, now).ok).toBe(true);
  });

  it('refuses non-canonical base64url (padding, standard alphabet, stray bits)', () => {
    const token = signToken(BASE, RING);
    const [payload, mac] = token.split('.') as [string, string];
    const lastMac = mac.at(-1) ?? 'A';
    const strayBits = 'AEIMQUYcgkosw048'.includes(lastMac)
      ? String.fromCharCode(lastMac.charCodeAt(0) + 1)
      : 'A';
    for (const bad of [
      `${payload}.${mac}=`,
      `${payload}==.${mac}`,
      `${payload}.+${mac.slice(1)}`,
      `${payload}.${mac.slice(0, -1)}/`,
      `${payload}.${mac.slice(0, -1)}${strayBits}`,
      ` ${token}`,
      `${token}\n`,
    ]) {
      expect(verifyToken(bad, RING, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('signToken refuses what verifyToken would not accept', () => {
  it.each([
    ['a fractional expiry', { expiresAt: 1.5 }],
    ['a zero expiry', { expiresAt: 0 }],
    ['an unknown action', { action: 'delete' }],
    ['a non-hex resource set hash', { resourceSetHash: 'not-a-hash' }],
    ['an empty recommendation id', { recommendationId: '' }],
    ['a bad nonce', { nonce: 'abc' }],
  ])('throws on %s', (_name, change) => {
    expect(() => signToken({ ...BASE, ...change } as TokenClaims, RING)).toThrow(ApprovalTokenError);
  });

  it('throws on a current key whose secret is too short', () => {
    expect(() => signToken(BASE, { current: { id: 'k', secret: Buffer.alloc(31) }, previous: [] })).toThrow(
      KeyringError,
    );
  });

  it('covers every action', () => {
    for (const a of APPROVAL_ACTIONS) {
      expect(verifyToken(signToken({ ...BASE, action: a }, RING), RING, { now: BEFORE, action: a }).ok).toBe(
        true,
      );
    }
  });
});
