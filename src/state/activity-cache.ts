import type { IsoDate } from '../core/calendar.js';

/** The last day a resource was proven busy, under the threshold that proved it. */
export interface ActiveMark {
  day: IsoDate;
  threshold: number;
}

/**
 * Remembers when each resource was last proven busy, so that a daily scan reads CloudWatch only for
 * resources that could have become idle since: a Lambda function invoked yesterday cannot be idle
 * over 30 days until 30 days have passed. This keeps GetMetricData (billed per metric) cheap.
 */
export interface ActivityCache {
  lastActive(arns: readonly string[]): Promise<Map<string, ActiveMark>>;
  recordActive(marks: ReadonlyMap<string, ActiveMark>): Promise<void>;
}

export class InMemoryActivityCache implements ActivityCache {
  private readonly marks = new Map<string, ActiveMark>();

  async lastActive(arns: readonly string[]): Promise<Map<string, ActiveMark>> {
    const found = new Map<string, ActiveMark>();
    for (const arn of arns) {
      const mark = this.marks.get(arn);
      if (mark) found.set(arn, mark);
    }
    return found;
  }

  async recordActive(marks: ReadonlyMap<string, ActiveMark>): Promise<void> {
    for (const [arn, mark] of marks) this.marks.set(arn, mark);
  }
}
