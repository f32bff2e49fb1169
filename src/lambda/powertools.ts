import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of every metric the functions publish (through EMF, in the logs). */
export const METRICS_NAMESPACE = 'Pocketwatch';

/** Structured JSON logs; the level comes from POWERTOOLS_LOG_LEVEL (the stacks set INFO). */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * EMF metrics with the `service` dimension only: every metric name is a custom metric billed at
 * $0.30 a month, so a run publishes one or two and puts the rest of its summary in the same EMF
 * record as properties, which Logs Insights can query for free.
 */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}
