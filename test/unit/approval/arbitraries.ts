import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { APPROVAL_ACTIONS, type ClaimsToSign } from '../../../src/approval/approval-token.js';
import type { Keyring, SigningKey } from '../../../src/approval/keyring.js';

export const hexHash = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));

export const nonce = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'));

export const action = fc.constantFrom(...APPROVAL_ACTIONS);

/** Epoch seconds that still fit a `Date` (so `new Date(expiresAt * 1000)` is valid). */
export const expiresAt = fc.integer({ min: 2, max: 8_640_000_000_000 });

export const recommendationId = fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/);

export const claims: fc.Arbitrary<ClaimsToSign & { nonce: string }> = fc.record({
  recommendationId,
  resourceSetHash: hexHash,
  action,
  expiresAt,
  nonce,
});

export const keyId = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);

export const secret = fc.uint8Array({ minLength: 32, maxLength: 64 }).map((bytes) => Buffer.from(bytes));

export const key: fc.Arbitrary<SigningKey> = fc.record({ id: keyId, secret });

/** A keyring with distinct ids: current plus 0–3 previous keys. */
export const keyring: fc.Arbitrary<Keyring> = fc
  .uniqueArray(key, { minLength: 1, maxLength: 4, selector: (k) => k.id })
  .map(([current, ...previous]) => ({ current: current as SigningKey, previous }));

/** A keyring and a key whose id it does not hold. */
export const keyringAndStranger: fc.Arbitrary<{ ring: Keyring; stranger: SigningKey }> = fc
  .uniqueArray(key, { minLength: 2, maxLength: 5, selector: (k) => k.id })
  .map(([stranger, current, ...previous]) => ({
    stranger: stranger as SigningKey,
    ring: { current: current as SigningKey, previous },
  }));

/** A well-signed token over an arbitrary payload text: only its structure can be wrong. */
export function signRawPayload(json: string, signingKey: SigningKey): string {
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  const mac = createHmac('sha256', signingKey.secret).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

export function isCanonicalBase64url(text: string, bytes?: number): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return false;
  const decoded = Buffer.from(text, 'base64url');
  return decoded.toString('base64url') === text && (bytes === undefined || decoded.length === bytes);
}

export function at(epochSeconds: number): Date {
  return new Date(epochSeconds * 1000);
}
