import { isProtected } from '../core/idle/resource-filters.js';
import type { ProtectTag } from '../policy/model.js';
import type { LiveResource } from './deleter.js';

/** The CloudFormation tag every resource of a stack carries: the stack's ARN. */
export const STACK_ID_TAG = 'aws:cloudformation:stack-id';

export interface OwnershipExpectations {
  tagKey: string;
  /** The PoC the recommendation was for: the resource must still carry this tag value. */
  poc: string;
  protectTag: ProtectTag;
}

/**
 * Why a resource that exists must not be deleted now, or undefined when nothing stops it: it no
 * longer carries the PoC's tag value (it changed hands), it carries the protect tag, or its service
 * protects it (termination or deletion protection). Checked at planning time and again right
 * before each delete call, so a tag added mid-teardown still protects (cloud-nuke's bug #846 honoured
 * protection in dry runs only).
 */
export function safetyProblem(live: LiveResource, expected: OwnershipExpectations): string | undefined {
  const value = live.tags[expected.tagKey];
  if (value === undefined) return `it no longer carries the ${expected.tagKey} tag`;
  if (value !== expected.poc) return `its ${expected.tagKey} tag is now "${value}", not "${expected.poc}"`;
  if (isProtected(live, expected.protectTag)) {
    return `it is tagged ${expected.protectTag.key}=${live.tags[expected.protectTag.key]}`;
  }
  if (live.protection) return live.protection;
  return undefined;
}
