import { APPROVAL_ACTIONS, type ApprovalAction, newNonce, signToken } from './approval-token.js';
import type { Keyring } from './keyring.js';

/** Base URL of the approval endpoint (`pocketwatch serve`, or the deployed approval function). */
export const APPROVAL_URL_ENV = 'POCKETWATCH_APPROVAL_URL';

/** How long the links of one message stay valid. */
export const APPROVAL_LINK_TTL_SECONDS = 7 * 24 * 60 * 60;

/** The query parameter that carries the token. */
export const TOKEN_PARAMETER = 'token';

/** The approve, reject and snooze links of one message. */
export type ApprovalLinkSet = Record<ApprovalAction, string>;

/** What a link acts on: a recommendation id and the resource set it had when the link was made. */
export interface ApprovalLinkTarget {
  id: string;
  resourceSetHash: string;
}

export interface SignApprovalLinksOptions {
  /** The endpoint's base URL, absolute http(s). */
  baseUrl: string;
  keyring: Keyring;
  /** The links expire `APPROVAL_LINK_TTL_SECONDS` after this. */
  now: Date;
  /** The shared nonce; a fresh one is drawn unless given. */
  nonce?: string;
}

export class ApprovalUrlError extends Error {
  override readonly name = 'ApprovalUrlError';
}

/**
 * Signs the three links of one message with one nonce: a decision through any of them spends all
 * three, so a message carries exactly one decision and its other links then show "already used".
 */
export function signApprovalLinks(
  target: ApprovalLinkTarget,
  options: SignApprovalLinksOptions,
): ApprovalLinkSet {
  const base = approvalBaseUrl(options.baseUrl);
  const nonce = options.nonce ?? newNonce();
  const expiresAt = Math.floor(options.now.getTime() / 1000) + APPROVAL_LINK_TTL_SECONDS;
  const link = (action: ApprovalAction): string => {
    const token = signToken(
      { recommendationId: target.id, resourceSetHash: target.resourceSetHash, action, expiresAt, nonce },
      options.keyring,
    );
    const url = new URL(base);
    url.searchParams.set(TOKEN_PARAMETER, token);
    return url.toString();
  };
  return Object.fromEntries(APPROVAL_ACTIONS.map((action) => [action, link(action)])) as ApprovalLinkSet;
}

/** The base URL checked: absolute http(s); throws an `ApprovalUrlError` otherwise. */
export function approvalBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ApprovalUrlError(`approval URL "${text}" is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    throw new ApprovalUrlError(`approval URL "${text}" is not an http(s) URL`);
  }
  return url;
}
