import type { IsoDate } from '../core/calendar.js';
import type { CostDataset } from '../core/cost-data.js';

export type { CostDataset } from '../core/cost-data.js';

export interface CostQuery {
  /** The cost allocation tag key, e.g. "poc". */
  tagKey: string;
  /** First day wanted, inclusive. */
  start: IsoDate;
  /** Day after the last day wanted, exclusive. */
  end: IsoDate;
}

export type ProgressListener = (event: { stage: string; done: number; total?: number; unit: string }) => void;

/**
 * Where daily costs come from. The FOCUS reader implements it offline; the Cost Explorer source
 * implements the same contract against a live account.
 */
export interface CostSource {
  /** "focus", "sample", "cost-explorer", ... */
  readonly kind: string;
  /** Human description, e.g. the file path read. */
  readonly description: string;
  load(query: CostQuery, onProgress?: ProgressListener): Promise<CostDataset>;
}
