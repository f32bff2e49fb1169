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
import { isOutage, isThrottlingError, toAwsCallError } from './aws-errors.js';
import type { CircuitBreaker } from './circuit-breaker.js';

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
            // Recorded once the attempt's outcome is known: a throttled attempt is counted, not priced.
            try {
              const output = await next(args);
              meter.record(operation, billedUnits(operation, args.input));
              return output;
            } catch (error) {
              if (isThrottlingError(error)) meter.recordThrottled(operation);
              else meter.record(operation, billedUnits(operation, args.input));
              throw error;
            }
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
function explainErrorsPlugin(
  service: string,
  breaker: CircuitBreaker | undefined,
  region: () => Promise<string | undefined>,
): Pluggable<object, MetadataBearer> {
  return {
    applyToStack: (stack) => {
      stack.add(
        (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
          async (args: InitializeHandlerArguments<object>) => {
            const operation = `${service}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
            const where = breaker ? await region() : undefined;
            // An open circuit fails fast, before any attempt: nothing reaches the wire or the meter.
            breaker?.check(operation, where);
            try {
              const output = await next(args);
              breaker?.succeeded(operation, where);
              return output;
            } catch (error) {
              // Resolved during the call, so errors name the endpoint actually used (overrides included).
              const url = (context as { endpointV2?: { url?: URL } }).endpointV2?.url;
              const endpoint = url ? url.href.replace(/\/$/, '') : undefined;
              const explained = toAwsCallError(error, { operation, ...(endpoint ? { endpoint } : {}) });
              if (isOutage(error)) breaker?.failed(operation, where, explained.code);
              throw explained;
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
  client.middlewareStack.use(explainErrorsPlugin(service, meter.breaker, () => clientRegion(client)));
  return client;
}

/** The client's resolved region (a provider once the client is built). */
async function clientRegion(client: AnyClient): Promise<string | undefined> {
  const region: unknown = (client.config as { region?: unknown }).region;
  const value = typeof region === 'function' ? await (region as () => Promise<unknown>)() : region;
  return typeof value === 'string' ? value : undefined;
}
