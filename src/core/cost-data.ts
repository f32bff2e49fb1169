import type { IsoDate } from './calendar.js';
import type { Money } from './money.js';

/**
 * One day's cost for one (PoC, service, account): the unit every cost source delivers, whatever it
 * reads (Cost Explorer groups, a FOCUS export's hourly rows, a CUR file).
 */
export interface DailyCost {
  date: IsoDate;
  /** The cost allocation tag's value, or null for spend that carries no such tag. */
  poc: string | null;
  service: string;
  account: string;
  cost: Money;
  /** True while the provider may still revise the figure (Cost Explorer's `Estimated`). */
  estimated: boolean;
}

export interface SourceWarning {
  code: string;
  message: string;
  /** Where the problem was found: "file.csv:123", an API operation, ... */
  where?: string;
}
