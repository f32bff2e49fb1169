import {
  type ApprovalAction,
  type TokenClaims,
  type VerifyFailureReason,
  verifyToken,
} from './approval-token.js';
import type { Keyring } from './keyring.js';

/**
 * Remembers which token nonces have been spent. `markUsed` must be atomic: of any number of concurrent
 * calls with one nonce, exactly one returns true (LocalStateStore under its file lock, DynamoDbStateStore
 * with a conditional put). An entry may be forgotten once `expiresAt` (epoch seconds) has passed,
 * because the token is refused as 'expired' then. `markUsed` may return a promise, so a remote store
 * fits the same port.
 */
export interface UsedTokenStore {
  /** Records the nonce; false when it was already recorded. */
  markUsed(nonce: string, expiresAt: number): boolean | Promise<boolean>;
  /**
   * Whether the nonce has been spent, without spending it: a page opened by GET (which mail scanners
   * do too) can say "already used" and change nothing.
   */
  wasUsed(nonce: string): Promise<boolean>;
  /**
   * Un-spends a nonce whose decision could not be recorded (a store error, or concurrent writers won
   * every attempt), so the link still works when the person opens it again.
   */
  releaseUsed(nonce: string): Promise<void>;
}

/** A single-process store for tests and the local CLI. */
export class InMemoryUsedTokenStore implements UsedTokenStore {
  private readonly used = new Map<string, number>();

  markUsed(nonce: string, expiresAt: number): boolean {
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }

  async wasUsed(nonce: string): Promise<boolean> {
    return this.used.has(nonce);
  }

  async releaseUsed(nonce: string): Promise<void> {
    this.used.delete(nonce);
  }

  has(nonce: string): boolean {
    return this.used.has(nonce);
  }

  get size(): number {
    return this.used.size;
  }

  /**
   * Forgets nonces whose token has expired at `now` (they can no longer verify); returns how many.
   * Not automatic: pass the same clock `verifyToken` is given.
   */
  purgeExpired(now: Date): number {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    let removed = 0;
    for (const [nonce, expiresAt] of this.used) {
      if (nowSeconds >= expiresAt) {
        this.used.delete(nonce);
        removed += 1;
      }
    }
    return removed;
  }
}

/** Redeeming always checks all three: a spent link must be the right one for what is done. */
export interface RedeemExpectations {
  now: Date;
  recommendationId: string;
  resourceSetHash: string;
  action: ApprovalAction;
}

export type RedeemFailureReason = VerifyFailureReason | 'used';

export type RedeemResult = { ok: true; claims: TokenClaims } | { ok: false; reason: RedeemFailureReason };

/**
 * Verifies the token and then spends its nonce. A token that fails verification is not spent (a click
 * on the wrong button does not burn the link); a second redemption of a valid one is 'used'. Errors
 * from the store propagate, and the token then counts as not redeemed.
 */
export async function redeemToken(
  token: unknown,
  keyring: Keyring,
  store: UsedTokenStore,
  expectations: RedeemExpectations,
): Promise<RedeemResult> {
  const verified = verifyToken(token, keyring, expectations);
  if (!verified.ok) return verified;
  const fresh = await store.markUsed(verified.claims.nonce, verified.claims.expiresAt);
  return fresh ? verified : { ok: false, reason: 'used' };
}
