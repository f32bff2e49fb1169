import { AwsCallError } from './aws-errors.js';

/** Consecutive final failures of one operation after which it is not called again in the run. */
export const DEFAULT_CIRCUIT_THRESHOLD = 3;

/**
 * Stops calling an operation that keeps failing, so a long outage (a permanently throttled SNS, a
 * denied describe in every region) cannot stretch a run past Lambda's 15 minutes. Keyed by operation
 * and region: one disabled region must not silence the same call in the regions that work. A
 * success closes nothing that is open: once open, a circuit stays open for the rest of the run.
 */
export class CircuitBreaker {
  private readonly failures = new Map<string, { count: number; last: string }>();
  private readonly opened = new Map<string, string>();

  constructor(readonly threshold = DEFAULT_CIRCUIT_THRESHOLD) {
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new RangeError(`circuit threshold must be a positive whole number, got ${threshold}`);
    }
  }

  /** Throws a "circuit open" AwsCallError when the operation may not be called any more. */
  check(operation: string, region: string | undefined): void {
    const reason = this.opened.get(keyOf(operation, region));
    if (reason === undefined) return;
    const where = region ? ` in ${region}` : '';
    throw new AwsCallError(
      `${operation}${where} not called: circuit open after ${this.threshold} consecutive failures (last: ${reason})`,
      { operation, code: CIRCUIT_OPEN },
    );
  }

  succeeded(operation: string, region: string | undefined): void {
    this.failures.delete(keyOf(operation, region));
  }

  failed(operation: string, region: string | undefined, reason: string): void {
    const key = keyOf(operation, region);
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    this.failures.set(key, { count, last: reason });
    if (count >= this.threshold) this.opened.set(key, reason);
  }

  /** "operation@region" of every open circuit, sorted. */
  openCircuits(): string[] {
    return [...this.opened.keys()].sort();
  }

  /** Starts a new run: a warm Lambda keeps its clients, not its verdicts. */
  reset(): void {
    this.failures.clear();
    this.opened.clear();
  }
}

export const CIRCUIT_OPEN = 'CircuitOpen';

function keyOf(operation: string, region: string | undefined): string {
  return region ? `${operation}@${region}` : operation;
}
