import type {
  Client,
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import type { ApiMeter } from './api-meter.js';
import { toAwsCallError } from './aws-errors.js';

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

/**
 * Outermost: once the SDK has given up retrying, the error becomes one sentence naming the operation
 * (and so the IAM action: `tag:GetResources`, `ec2:DescribeVolumes` ...), wherever the call was made.
 */
function explainErrorsPlugin(service: string): Pluggable<object, MetadataBearer> {
  return {
    applyToStack: (stack) => {
      stack.add(
        (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
          async (args: InitializeHandlerArguments<object>) => {
            try {
              return await next(args);
            } catch (error) {
              const operation = `${service}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
              // Resolved during the call, so errors name the endpoint actually used (overrides included).
              const url = (context as { endpointV2?: { url?: URL } }).endpointV2?.url;
              const endpoint = url ? url.href.replace(/\/$/, '') : undefined;
              throw toAwsCallError(error, { operation, ...(endpoint ? { endpoint } : {}) });
            }
          },
        { step: 'initialize', name: 'pocketwatchExplainErrors', priority: 'high', override: true },
      );
    },
  };
}

/**
 * Counts every call `client` makes in `meter` under `service:Operation` (the IAM action's name), and
 * turns its final errors into AwsCallErrors that say which action failed and why.
 */
export function meterClient<C extends AnyClient>(client: C, service: string, meter: ApiMeter): C {
  client.middlewareStack.use(meterPlugin(service, meter));
  client.middlewareStack.use(explainErrorsPlugin(service));
  return client;
}
