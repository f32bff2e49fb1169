import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { addDaysIso, eachDay, type IsoDate } from '../../../src/core/calendar.js';
import type { DailyCost } from '../../../src/core/cost-data.js';
import { formatMoneyExact } from '../../../src/core/money.js';
import type { CostCache } from '../../../src/sources/cost-cache.js';
import {
  CostExplorerSource,
  type CostExplorerSourceOptions,
} from '../../../src/sources/cost-explorer-source.js';

/** The tests' "now": 2026-11-25 noon UTC, so Cost Explorer serves 2025-10-01 onwards. */
export const NOW = new Date('2026-11-25T12:00:00Z');
export const TODAY = '2026-11-25';
export const TOMORROW = '2026-11-26';

/** A group as Cost Explorer returns it: [tag group key, service or account, amount]. */
export type GroupSpec = [string, string, string];

/** One day of a response, in the documented shape (Total is {} when grouped). */
export function resultByTime(
  date: IsoDate,
  groups: GroupSpec[],
  estimated: boolean,
  metric = 'UnblendedCost',
): ResultByTime {
  return {
    TimePeriod: { Start: date, End: addDaysIso(date, 1) },
    Total: {},
    Groups: groups.map(([tag, other, amount]) => ({
      Keys: [tag, other],
      Metrics: { [metric]: { Amount: amount, Unit: 'USD' } },
    })),
    Estimated: estimated,
  };
}

export function response(
  results: ResultByTime[],
  nextPageToken?: string,
  second: 'SERVICE' | 'LINKED_ACCOUNT' = 'SERVICE',
): GetCostAndUsageCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: 'req' },
    GroupDefinitions: [
      { Type: 'TAG', Key: 'poc' },
      { Type: 'DIMENSION', Key: second },
    ],
    ResultsByTime: results,
    DimensionValueAttributes: [],
    ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
  };
}

/**
 * A Cost Explorer that answers from a table of daily costs, like the real one: results for every day
 * of the requested period, estimated per `isEstimated`.
 */
export class FakeCostExplorer {
  readonly client = new CostExplorerClient({ region: 'us-east-1' });
  readonly mock = mockClient(this.client);
  readonly meter = new ApiMeter();

  constructor(
    private readonly costs: (day: IsoDate) => GroupSpec[],
    private readonly isEstimated: (day: IsoDate) => boolean,
  ) {
    this.mock.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
      const { Start, End } = input.TimePeriod as { Start: IsoDate; End: IsoDate };
      return response(
        eachDay(Start, End).map((day) => resultByTime(day, this.costs(day), this.isEstimated(day))),
      );
    });
  }

  source(options: Partial<CostExplorerSourceOptions> & { cache?: CostCache } = {}): CostExplorerSource {
    return new CostExplorerSource({ client: this.client, meter: this.meter, now: () => NOW, ...options });
  }

  /** The TimePeriods requested so far. */
  periods(): string[] {
    return this.mock.commandCalls(GetCostAndUsageCommand).map((call) => {
      const period = call.args[0].input.TimePeriod;
      return `${period?.Start}..${period?.End}`;
    });
  }
}

/** Every day: checkout on Lambda, untagged spend on EC2, each a day-dependent amount. */
export function steadyCosts(day: IsoDate): GroupSpec[] {
  const n = Number(day.slice(8));
  return [
    ['poc$checkout', 'AWS Lambda', `1.${String(n).padStart(2, '0')}00000001`],
    ['poc$', 'Amazon Elastic Compute Cloud - Compute', '0.5'],
  ];
}

export function summarize(rows: readonly DailyCost[]): string[] {
  return rows.map(
    (row) =>
      `${row.date} ${row.poc ?? '-'} ${row.service} ${row.account || '-'} ${formatMoneyExact(row.cost)}${row.estimated ? ' E' : ''}`,
  );
}
