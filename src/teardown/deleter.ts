import type { ResourceState } from '../core/idle/idle-rule.js';
import type { AwsClientPool } from './aws-client-pool.js';
import type { TeardownTarget } from './teardown-target.js';

/**
 * The shape every deleter has (one per resource type, one file each under deleters/, listed in
 * deleters.ts), after cdk-nag's one-rule-per-file and Cloud Custodian's declared permissions: a
 * deleter says how to see the resource now (the service's own describe call, never the Tagging API),
 * how to delete it, what it keeps of its data, and which IAM actions that takes, so the teardown
 * role's policy is derived from code.
 */

/** What the service's own describe call says about a resource right now. */
export interface LiveResource {
  /** present: it exists; deleting: on its way out; gone: the service does not know it (any more). */
  status: 'present' | 'deleting' | 'gone';
  /** Its tags as the service reports them now (empty when gone). */
  tags: Record<string, string>;
  /** Service-level protection that must stop a teardown, in words ("deletion protection is on"). */
  protection?: string;
  /** Describe data the state idle rules judge (an EBS volume's state, an address's association). */
  state?: ResourceState;
  /**
   * The service reports that a deletion of it failed (a stack in DELETE_FAILED), in words: an
   * executor waiting for it to go stops waiting and reports this.
   */
  failure?: string;
}

/** How a data-bearing resource keeps its data when the policy keeps data (`teardown.data: keep`). */
export type DataKeeping =
  /** Nothing to keep. */
  | { kind: 'none' }
  /** Deleted after a final copy: "final DB snapshot", "on-demand backup", "EBS snapshot". */
  | { kind: 'final-copy'; copy: string }
  /** Not deleted at all while data is kept (an S3 bucket, a Kinesis stream); `why` says so. */
  | { kind: 'not-deleted'; why: string };

export interface DeleteOptions {
  /** Keep the data (final snapshot or backup) before deleting. */
  keepData: boolean;
  /** The name for that final copy, unique per resource and execution, within AWS's naming rules. */
  finalCopyName: string;
}

export interface DeleteResult {
  /** The id of the final snapshot or backup that keeps the data. */
  kept?: string;
  /**
   * Deletion has not started yet because something must finish first (a final snapshot still being
   * taken), in words; the executor calls `delete` again on a later pass, so `delete` must be
   * idempotent: find the copy it already started instead of starting another.
   */
  waitingFor?: string;
}

export interface Deleter {
  /** The registry key: a Tagging API type, split where one type needs two deleters. */
  type: string;
  label: string;
  /**
   * Order within a teardown: lower goes first. What uses others (API front doors, load balancers,
   * compute) goes before what it uses (volumes, addresses, data stores); the executor still retries
   * a deletion that an unexpected dependency blocks.
   */
  order: number;
  data: DataKeeping;
  iam: {
    /** Actions `describe` needs (read-only). */
    describe: readonly string[];
    /** Actions `delete` needs, final copies included. */
    delete: readonly string[];
    /**
     * The delete actions honour `aws:ResourceTag/<key>` conditions, so the teardown role can be
     * limited to resources carrying the PoC tag.
     */
    tagCondition: boolean;
  };
  /** The resource as its service sees it now. Throws only on errors (gone is an answer). */
  describe(clients: AwsClientPool, target: TeardownTarget): Promise<LiveResource>;
  /**
   * Starts deleting it (after taking a final copy when `keepData`). Deletion may finish later: the
   * executor polls `describe` until the resource is gone.
   */
  delete(clients: AwsClientPool, target: TeardownTarget, options: DeleteOptions): Promise<DeleteResult>;
  /**
   * Once the resource is gone: anything worth reporting about how it went (a stack's resources that
   * its DeletionPolicy retained, which keep costing money). Optional.
   */
  afterGone?(clients: AwsClientPool, target: TeardownTarget): Promise<string | undefined>;
  /** AWS error codes that mean the resource is already gone. */
  notFound: readonly string[];
  /** AWS error codes that mean "not yet": something else must go first; retried on the next pass. */
  dependency: readonly string[];
}
