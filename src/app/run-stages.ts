import {
  AwsCallError,
  isAccessDenied,
  isCredentialsFailure,
  isRegionUnavailable,
} from '../aws/aws-errors.js';
import { CIRCUIT_OPEN } from '../aws/circuit-breaker.js';
import type { SourceWarning } from '../core/cost-data.js';
import { errorMessage } from '../core/error-message.js';
import { mapBounded } from '../inventory/bounded-map.js';

/**
 * One step of a run that can fail on its own: a listing in one region, one describe kind, the
 * metrics of one region. A failed stage loses what it would have produced and what `needs` it; the
 * rest of the run goes on.
 */
export interface Stage {
  name: string;
  /** Stages (of this batch or an earlier one) that must have succeeded for this one to run. */
  needs: readonly string[];
  /** What the report lacks when the stage does not complete: "Elastic IPs in us-east-1 not scanned". */
  effect: string;
  /** The region it calls, when it calls one. */
  region?: string;
  run(): Promise<void>;
}

interface Failure {
  stage: Stage;
  error: unknown;
  /** Effects of the stages skipped because this one failed. */
  lost: string[];
}

/** Stages started at once: per-region work must not open dozens of connections together. */
const STAGE_CONCURRENCY = 8;

/**
 * Runs batches of stages in dependency order (a stage starts once every stage it needs succeeded)
 * and remembers what failed, so the report can say what is missing and why.
 */
export class StageRun {
  private readonly succeeded = new Set<string>();
  private readonly failures = new Map<string, Failure>();
  /** Skipped stage → the failed stage at the root of it. */
  private readonly skipped = new Map<string, string>();

  /** Runs `stages`; rejects only when the credentials are unusable, not for a stage's own failure. */
  async run(stages: readonly Stage[]): Promise<void> {
    const names = new Set(stages.map((stage) => stage.name));
    for (const stage of stages) {
      if (this.settled(stage.name)) throw new Error(`stage ${stage.name} was already run`);
      for (const need of stage.needs) {
        if (!names.has(need) && !this.settled(need)) {
          throw new Error(`stage ${stage.name} needs ${need}, which is not a stage of this run`);
        }
      }
    }
    let pending = [...stages];
    while (pending.length > 0) {
      const ready = pending.filter((stage) => stage.needs.every((need) => this.settled(need)));
      if (ready.length === 0) {
        throw new Error(`stages wait on each other: ${pending.map((stage) => stage.name).join(', ')}`);
      }
      pending = pending.filter((stage) => !ready.includes(stage));
      await mapBounded(ready, STAGE_CONCURRENCY, (stage) => this.runOne(stage));
    }
  }

  /** Whether the stage ran and succeeded. */
  ok(name: string): boolean {
    return this.succeeded.has(name);
  }

  /** The error of a failed stage (or of the failure it was skipped for). */
  errorOf(name: string): unknown {
    const root = this.skipped.get(name) ?? name;
    return this.failures.get(root)?.error;
  }

  /** One warning per failed stage; a region that is not enabled gives one warning for the region. */
  warnings(): SourceWarning[] {
    const warnings: SourceWarning[] = [];
    const unavailableRegions = new Set<string>();
    for (const { stage, error, lost } of this.failures.values()) {
      const { region } = stage;
      if (region && isRegionUnavailable(error)) {
        if (unavailableRegions.has(region)) continue;
        unavailableRegions.add(region);
        warnings.push(regionWarning(region, error));
        continue;
      }
      warnings.push(stageWarning(stage, error, lost));
    }
    return warnings;
  }

  private settled(name: string): boolean {
    return this.succeeded.has(name) || this.failures.has(name) || this.skipped.has(name);
  }

  private async runOne(stage: Stage): Promise<void> {
    const missing = stage.needs.find((need) => !this.succeeded.has(need));
    if (missing !== undefined) {
      const root = this.skipped.get(missing) ?? missing;
      this.skipped.set(stage.name, root);
      this.failures.get(root)?.lost.push(stage.effect);
      return;
    }
    try {
      await stage.run();
      this.succeeded.add(stage.name);
    } catch (error) {
      // Unusable credentials are not one stage's problem: the whole run is blind, and fails.
      if (isCredentialsFailure(error)) throw error;
      this.failures.set(stage.name, { stage, error, lost: [] });
    }
  }
}

/** "ec2:DescribeAddresses denied", the open circuit, or the call's own explanation. */
function reasonOf(error: unknown): string {
  if (error instanceof AwsCallError) {
    if (isAccessDenied(error)) return `${error.operation} denied`;
    if (error.code === CIRCUIT_OPEN) return error.message;
  }
  return errorMessage(error);
}

/** The warning for a stage that failed: what is missing, why, and the call to look at. */
export function stageWarning(stage: Stage, error: unknown, lost: readonly string[] = []): SourceWarning {
  const also = lost.length > 0 ? ` (so also: ${[...new Set(lost)].join('; ')})` : '';
  const warning: SourceWarning = {
    code: 'stage-failed',
    partial: true,
    message: `${stage.effect}: ${reasonOf(error)}${also}`,
    effect: stage.effect,
  };
  if (error instanceof AwsCallError) {
    warning.operation = error.operation;
    warning.iamAction = error.operation;
    warning.where = stage.region ? `${error.operation} in ${stage.region}` : error.operation;
  }
  if (stage.region) warning.region = stage.region;
  return warning;
}

/** A region the account cannot use has nothing to scan: skipped, and said so, but not a partial run. */
function regionWarning(region: string, error: unknown): SourceWarning {
  const operation = error instanceof AwsCallError ? error.operation : undefined;
  const code = error instanceof AwsCallError ? error.code : 'Error';
  return {
    code: 'region-unavailable',
    partial: false,
    message: `${region} skipped: the region is not enabled for this account, or the service has no endpoint there (${code}${operation ? ` from ${operation}` : ''})`,
    region,
    effect: `${region} not scanned`,
    ...(operation ? { operation, where: `${operation} in ${region}` } : {}),
  };
}
