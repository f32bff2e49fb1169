/**
 * Cost Explorer for the moto tests, on the fake AWS endpoint: moto answers GetCostAndUsage with
 * canned results only, without paging or Estimated days. These PoCs cost nothing so far this month.
 */
import { eachDay } from '../../../src/core/calendar.js';
import type { FakeHandler } from '../../support/fake-aws-server.js';

export function emptyCostPages(): FakeHandler {
  return (request) => {
    const { Start, End } = (request.body as { TimePeriod: { Start: string; End: string } }).TimePeriod;
    const days = eachDay(Start, End);
    return {
      body: {
        GroupDefinitions: [
          { Type: 'TAG', Key: 'poc' },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
        ResultsByTime: days.map((day, i) => ({
          TimePeriod: { Start: day, End: eachDay(day, '2100-01-01')[1] },
          Total: {},
          Estimated: i >= days.length - 2,
          Groups: [],
        })),
        DimensionValueAttributes: [],
      },
    };
  };
}
