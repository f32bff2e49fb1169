import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { assertUsableKey, findKey, KEY_ID_PATTERN, type Keyring } from './keyring.js';

/**
 * Signed approval links.
 *
 * Token format (compact, URL-safe, ASCII only):
 *
 *   base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))
 *
 * where payload is the UTF-8 JSON of the claims with exactly the fields of `TokenClaims`, in that
 * order, and base64url is unpadded (RFC 4648 §5). The MAC covers the encoded payload segment, as in JWS.
 * Each claims object has exactly one encoding; anything else is 'malformed'.
 */

export type ApprovalAction = 'approve' | 'reject' | 'snooze';

export const APPROVAL_ACTIONS: readonly ApprovalAction[] = ['approve', 'reject', 'snooze'];

export interface TokenClaims {
  /** `Recommendation.id` the link acts on. */
  recommendationId: string;
  /** `resourceSetHash` of the recommendation's resources when the link was made. */
  resourceSetHash: string;
  action: ApprovalAction;
  /** Epoch seconds; the token is refused at and after this instant. */
  expiresAt: number;
  /** Random 128 bits, base64url (22 characters): the single-use key. */
  nonce: string;
  /** Id of the key that signed the token. */
  keyId: string;
}

/** What `signToken` takes: the keyId comes from the keyring; a fresh nonce is drawn unless given. */
export type ClaimsToSign = Omit<TokenClaims, 'keyId' | 'nonce'> & { nonce?: string };

export type VerifyFailureReason =
  | 'malformed'
  | 'bad-signature'
  | 'unknown-key'
  | 'expired'
  | 'wrong-action'
  | 'superseded'
  | 'wrong-recommendation';

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: VerifyFailureReason };

export interface VerifyExpectations {
  now: Date;
  /** The recommendation the caller acts on; when given, a token for another one is 'wrong-recommendation'. */
  recommendationId?: string;
  /** The recommendation's current `resourceSetHash`; when given, a token for another set is 'superseded'. */
  resourceSetHash?: string;
  /** The action the caller performs; when given, a token for another action is 'wrong-action'. */
  action?: ApprovalAction;
}

/** Longer tokens are refused unread ('malformed'); `signToken` never makes one. */
export const MAX_TOKEN_LENGTH = 2048;

/** Recommendation ids: 1–128 characters of letters, digits, '.', '_', ':' and '-'. */
export const RECOMMENDATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export class ApprovalTokenError extends Error {
  override readonly name = 'ApprovalTokenError';
}

const FIELDS = ['recommendationId', 'resourceSetHash', 'action', 'expiresAt', 'nonce', 'keyId'] as const;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;

/** A fresh random 128-bit nonce, base64url. */
export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

/**
 * Signs the claims with `keyring.current` (its id goes into `keyId`). Throws an `ApprovalTokenError` on
 * claims that `verifyToken` would not accept, and a `KeyringError` on an unusable current key.
 */
export function signToken(claims: ClaimsToSign, keyring: Keyring): string {
  assertUsableKey(keyring.current, 'current signing key');
  const full: TokenClaims = {
    recommendationId: claims.recommendationId,
    resourceSetHash: claims.resourceSetHash,
    action: claims.action,
    expiresAt: claims.expiresAt,
    nonce: claims.nonce ?? newNonce(),
    keyId: keyring.current.id,
  };
  const problem = claimsProblem(full);
  if (problem !== undefined) throw new ApprovalTokenError(`cannot sign approval token: ${problem}`);
  const payload = Buffer.from(canonicalJson(full), 'utf8').toString('base64url');
  const token = `${payload}.${mac(keyring.current.secret, payload).toString('base64url')}`;
  if (token.length > MAX_TOKEN_LENGTH) throw new ApprovalTokenError('cannot sign approval token: too long');
  return token;
}

/**
 * Checks a token, in this order (the first failure is the reason):
 *   1. 'malformed': not a string, longer than 2 KB, not two canonical base64url segments, a MAC that is
 *      not 32 bytes, or a payload that is not exactly the canonical JSON of valid claims (extra or
 *      missing fields, non-integer expiry, unknown action, …);
 *   2. 'unknown-key': the keyring holds no key with the token's keyId (e.g. rotated out);
 *   3. 'bad-signature': the HMAC does not match (constant-time `timingSafeEqual` on 32-byte buffers).
 *      Nothing in the payload is trusted before this: keyId only picks which key to try, and a lie about
 *      it just fails the MAC;
 *   4. 'expired': `now` is at or after `expiresAt` (checked first so an expired link reveals nothing else);
 *   5. 'wrong-recommendation', 6. 'wrong-action', 7. 'superseded': against the expectations given.
 * Never throws on any token input; throws a `RangeError` on an invalid `now`.
 */
export function verifyToken(
  token: unknown,
  keyring: Keyring,
  expectations: VerifyExpectations,
): VerifyResult {
  const nowSeconds = Math.floor(expectations.now.getTime() / 1000);
  if (!Number.isFinite(nowSeconds)) throw new RangeError('verifyToken: "now" is not a valid date');

  const parsed = parseToken(token);
  if (parsed === undefined) return { ok: false, reason: 'malformed' };
  const { payload, signature, claims } = parsed;

  const key = findKey(keyring, claims.keyId);
  if (key === undefined) return { ok: false, reason: 'unknown-key' };
  const expected = mac(key.secret, payload);
  if (expected.length !== signature.length || !timingSafeEqual(expected, signature)) {
    return { ok: false, reason: 'bad-signature' };
  }

  if (nowSeconds >= claims.expiresAt) return { ok: false, reason: 'expired' };
  if (
    expectations.recommendationId !== undefined &&
    claims.recommendationId !== expectations.recommendationId
  ) {
    return { ok: false, reason: 'wrong-recommendation' };
  }
  if (expectations.action !== undefined && claims.action !== expectations.action) {
    return { ok: false, reason: 'wrong-action' };
  }
  if (expectations.resourceSetHash !== undefined && claims.resourceSetHash !== expectations.resourceSetHash) {
    return { ok: false, reason: 'superseded' };
  }
  return { ok: true, claims };
}

/**
 * Reads the claims without checking the signature, for logging or for finding the recommendation
 * before calling `verifyToken` with its current resource set. Never act on the result.
 */
export function decodeUnverifiedClaims(token: unknown): TokenClaims | undefined {
  return parseToken(token)?.claims;
}

function parseToken(token: unknown): { payload: string; signature: Buffer; claims: TokenClaims } | undefined {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const [payload, signatureText] = parts as [string, string];
  const payloadBytes = decodeBase64url(payload);
  const signature = decodeBase64url(signatureText);
  if (payloadBytes === undefined || signature === undefined || signature.length !== MAC_BYTES)
    return undefined;

  let value: unknown;
  try {
    value = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isClaims(value)) return undefined;
  // Exactly one encoding per claims: field order, whitespace, escapes and invalid UTF-8 all differ here.
  if (!Buffer.from(canonicalJson(value), 'utf8').equals(payloadBytes)) return undefined;
  return { payload, signature, claims: value };
}

function isClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== FIELDS.length || !FIELDS.every((field) => Object.hasOwn(value, field))) return false;
  return claimsProblem(value as Record<(typeof FIELDS)[number], unknown>) === undefined;
}

function claimsProblem(claims: Record<(typeof FIELDS)[number], unknown>): string | undefined {
  const { recommendationId, resourceSetHash, action, expiresAt, nonce, keyId } = claims;
  if (typeof recommendationId !== 'string' || !RECOMMENDATION_ID_PATTERN.test(recommendationId)) {
    return 'recommendationId must be 1–128 characters of letters, digits, ".", "_", ":" or "-"';
  }
  if (typeof resourceSetHash !== 'string' || !SHA256_HEX.test(resourceSetHash)) {
    return 'resourceSetHash must be 64 lowercase hex characters';
  }
  if (typeof action !== 'string' || !(APPROVAL_ACTIONS as readonly string[]).includes(action)) {
    return `action must be one of ${APPROVAL_ACTIONS.join(', ')}`;
  }
  if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt) || expiresAt <= 0) {
    return 'expiresAt must be a positive integer number of epoch seconds';
  }
  if (typeof nonce !== 'string' || decodeBase64url(nonce)?.length !== NONCE_BYTES) {
    return 'nonce must be 16 bytes, base64url';
  }
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) return 'keyId is not a valid key id';
  return undefined;
}

function canonicalJson(claims: TokenClaims): string {
  return JSON.stringify({
    recommendationId: claims.recommendationId,
    resourceSetHash: claims.resourceSetHash,
    action: claims.action,
    expiresAt: claims.expiresAt,
    nonce: claims.nonce,
    keyId: claims.keyId,
  });
}

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload, 'ascii').digest();
}

/** Unpadded base64url that re-encodes to exactly the same text (so no two strings decode alike). */
function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
