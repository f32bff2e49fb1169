import { eachDay, type IsoDate } from '../../../src/core/calendar.js';
import type { CostDataset, DailyCost } from '../../../src/core/cost-data.js';
import { parseMoney } from '../../../src/core/money.js';
import { defaultSettings } from '../../../src/policy/defaults.js';
import type { Policy, PolicySet, Settings } from '../../../src/policy/model.js';

export const $ = (text: string) => parseMoney(text);

/** The shipped defaults, so tests follow any change to them. */
export function testSettings(): Settings {
  return defaultSettings();
}

export function testPolicy(
  poc: string,
  options: Partial<Omit<Policy, 'budget'>> & {
    monthly?: string;
    dailyCap?: string;
    total?: string;
    thresholds?: number[];
  } = {},
): Policy {
  const settings = testSettings();
  const { monthly, dailyCap, total, thresholds, ...rest } = options;
  return {
    poc,
    owners: [`${poc}@example.com`],
    links: [],
    anomaly: settings.defaults.anomaly,
    expiryWarningDays: 7,
    location: { file: `policies/${poc}.yaml`, line: 1, column: 1 },
    ...(monthly !== undefined
      ? {
          budget: {
            monthly: $(monthly),
            thresholds: thresholds ?? [50, 80, 100],
            ...(dailyCap ? { dailyCap: $(dailyCap) } : {}),
            ...(total ? { total: $(total) } : {}),
          },
        }
      : {}),
    ...rest,
  };
}

export function policySet(...policies: Policy[]): PolicySet {
  return { settings: testSettings(), policies, files: [] };
}

/** One row a day for every day in [from, to) at `cost` (a function of the day or a constant). */
export function daily(
  poc: string | null,
  from: IsoDate,
  to: IsoDate,
  cost: string | ((day: IsoDate) => string),
  service = 'AWS Lambda',
): DailyCost[] {
  return eachDay(from, to).map((date) => ({
    date,
    poc,
    service,
    account: '111122223333',
    cost: $(typeof cost === 'string' ? cost : cost(date)),
    estimated: false,
  }));
}

export function dataset(rows: DailyCost[], extra: Partial<CostDataset> = {}): CostDataset {
  const dates = rows.map((row) => row.date).sort();
  return {
    rows,
    warnings: [],
    apiCalls: {},
    ...(dates.length ? { coverage: { first: dates[0] as IsoDate, last: dates.at(-1) as IsoDate } } : {}),
    ...extra,
  };
}
