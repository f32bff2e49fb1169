import type {
  Client,
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import type { ApiMeter } from './api-meter.js';

// biome-ignore lint/suspicious/noExplicitAny: SDK clients differ in their input/output unions.
type AnyClient = Client<any, MetadataBearer, any>;

/** GetMetricData is billed per metric requested, not per call. */
function billedUnits(operation: string, input: unknown): number {
  if (operation === 'cloudwatch:GetMetricData') {
    const queries =
      (input as { MetricDataQueries?: Array<{ MetricStat?: unknown }> }).MetricDataQueries ?? [];
    return queries.filter((query) => query.MetricStat !== undefined).length;
  }
  return 1;
}

function meterPlugin(service: string, meter: ApiMeter): Pluggable<object, MetadataBearer> {
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(
        (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
          async (args: FinalizeHandlerArguments<object>) => {
            const operation = `${service}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
            meter.record(operation, billedUnits(operation, args.input));
            return next(args);
          },
        // After the retry middleware: every attempt that reaches the wire is counted, so the figure
        // is an upper bound on what AWS bills.
        { name: 'pocketwatchApiMeter', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
      );
    },
  };
}

/** Counts every call `client` makes in `meter` under `service:Operation`. */
export function meterClient<C extends AnyClient>(client: C, service: string, meter: ApiMeter): C {
  client.middlewareStack.use(meterPlugin(service, meter));
  return client;
}
