import type { SourceWarning } from '../core/cost-data.js';
import { cleanText } from '../report/clean-text.js';

/** Longest example quoted in a warning: the item comes from AWS and may be anything. */
const EXAMPLE_MAX = 120;

interface Tally {
  operation: string;
  region: string;
  count: number;
  example: string;
  why: string;
}

/**
 * Items of a page (a Tagging mapping, a metric result, a described volume) that could not be read:
 * each is skipped and counted, never the whole listing; one warning per operation and region says
 * how many and shows one, escaped.
 */
export class SkippedItems {
  private readonly tallies = new Map<string, Tally>();

  note(operation: string, region: string, example: string, why: string): void {
    const key = `${operation}@${region}`;
    const tally = this.tallies.get(key);
    if (tally) tally.count += 1;
    else this.tallies.set(key, { operation, region, count: 1, example, why });
  }

  get count(): number {
    let total = 0;
    for (const tally of this.tallies.values()) total += tally.count;
    return total;
  }

  warnings(): SourceWarning[] {
    return [...this.tallies.values()].map(({ operation, region, count, example, why }) => ({
      code: 'item-skipped',
      partial: true,
      message: `${operation} in ${region}: ${count} unreadable item${count === 1 ? '' : 's'} skipped, e.g. ${quoted(example)} (${cleanText(why)})`,
      where: `${operation} in ${region}`,
      operation,
      region,
      effect: `${count} item${count === 1 ? '' : 's'} from ${operation} in ${region} not judged`,
    }));
  }
}

/** A JSON-quoted, cleaned and bounded copy of a hostile string. */
function quoted(text: string): string {
  const clean = cleanText(text);
  const short = clean.length > EXAMPLE_MAX ? `${clean.slice(0, EXAMPLE_MAX - 1)}…` : clean;
  return JSON.stringify(short);
}
