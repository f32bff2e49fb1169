import { type APPROVAL_ACTIONS, signToken } from '../approval/approval-token.js';
import type { Keyring } from '../approval/keyring.js';
import { recommendationResourceSetHash } from '../approval/resource-set-hash.js';
import type { Recommendation } from '../core/report.js';
import type { ApprovalLinks } from '../delivery/alert-message.js';

/** How long a link in a recommendation's message stays valid (the CLI's links last as long). */
export const APPROVAL_LINK_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Signed approve / reject / snooze links to the approval endpoint for a recommendation's message:
 * each token is bound to the recommendation, its exact resource set, the action and an expiry.
 */
export function approvalLinksFor(
  baseUrl: string,
  keyring: Keyring,
  now: Date,
): (recommendation: Recommendation) => ApprovalLinks {
  const expiresAt = Math.floor(now.getTime() / 1000) + APPROVAL_LINK_TTL_SECONDS;
  return (recommendation) => {
    const resourceSetHash = recommendationResourceSetHash(recommendation);
    const link = (action: (typeof APPROVAL_ACTIONS)[number]) => {
      const url = new URL(baseUrl);
      const token = signToken(
        { recommendationId: recommendation.id, resourceSetHash, action, expiresAt },
        keyring,
      );
      url.searchParams.set('token', token);
      return url.toString();
    };
    return { approve: link('approve'), reject: link('reject'), snooze: link('snooze') };
  };
}
