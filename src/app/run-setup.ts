import { ApiMeter } from '../aws/api-meter.js';
import { awsClientConfig, createCostExplorerClient } from '../aws/aws-clients.js';
import { callerIdentity } from '../aws/caller-identity.js';
import { CircuitBreaker } from '../aws/circuit-breaker.js';
import type { IsoDate } from '../core/calendar.js';
import { CloudWatchActivityReader } from '../inventory/cloudwatch-activity.js';
import { Ec2StateReader } from '../inventory/ec2-state.js';
import { TaggingInventory } from '../inventory/tagging-inventory.js';
import { resourceCostsEnabled } from '../policy/defaults.js';
import type { Settings } from '../policy/model.js';
import type { CostCache } from '../sources/cost-cache.js';
import { CostExplorerSource } from '../sources/cost-explorer-source.js';
import type { CostSource } from '../sources/cost-source.js';
import { FocusCostSource } from '../sources/focus-source.js';
import { fetchResourceMonthlyCosts } from '../sources/resource-costs.js';
import { SampleCostSource } from '../sources/sample-source.js';
import type { ActivityCache } from '../state/activity-cache.js';
import { BillingExportScanner } from './billing-export-scanner.js';
import type { IdleScanner } from './idle-scanner.js';
import { LiveAwsScanner, type ResourceCostReader } from './live-aws-scanner.js';

export class SourceSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceSpecError';
  }
}

export const SOURCE_SPEC_HELP =
  'sample (the bundled export), focus:PATH (a FOCUS CSV/CSV.gz file or folder) or aws (Cost Explorer and the live account)';

/** What a run reads from, and how it finds idle resources. */
export interface RunSetup {
  source: CostSource;
  scanner: IdleScanner;
  /** Present for live runs: counts and prices every AWS call. */
  meter?: ApiMeter;
  /** The bundled sample's fixed as-of day. */
  defaultAsOf?: IsoDate;
  /** Releases SDK clients. */
  close(): void;
}

/**
 * Turns `--source` into adapters. Offline sources collect per-resource charges so that idle
 * resources show up from the bill alone; `aws` uses Cost Explorer for costs and the Tagging API,
 * CloudWatch and EC2 describe calls for the idle scan, all through standard SDK configuration
 * (region, credential chain, AWS_ENDPOINT_URL_* overrides).
 */
export async function setupRun(
  spec: string,
  settings: Settings,
  cache: CostCache & ActivityCache,
): Promise<RunSetup> {
  const resources = { tagKeys: [settings.protectTag.key] };
  if (spec === 'sample') {
    const source = new SampleCostSource({ resources });
    return { source, scanner: new BillingExportScanner(), defaultAsOf: source.defaultAsOf, close: () => {} };
  }
  if (spec.startsWith('focus:')) {
    const path = spec.slice('focus:'.length);
    if (!path) throw new SourceSpecError('--source focus:PATH needs a path after "focus:"');
    return {
      source: new FocusCostSource({ path, costMetric: settings.costMetric, resources }),
      scanner: new BillingExportScanner(),
      close: () => {},
    };
  }
  if (spec === 'aws') return setupLiveRun(settings, cache);
  throw new SourceSpecError(`unknown source "${spec}": use ${SOURCE_SPEC_HELP}`);
}

async function setupLiveRun(settings: Settings, cache: CostCache & ActivityCache): Promise<RunSetup> {
  // One breaker for the run: an operation that keeps failing is not called again until the next run.
  const meter = new ApiMeter({ breaker: new CircuitBreaker() });
  const identity = await callerIdentity(meter);
  const regions = settings.regions?.length ? settings.regions : [identity.region];
  const client = createCostExplorerClient(meter);
  const config = { ...awsClientConfig(), meter };
  const inventory = new TaggingInventory(config);
  const activity = new CloudWatchActivityReader(config);
  const states = new Ec2StateReader(config, { account: identity.account });
  // Opt-in (settings.resourceCosts): the same metered Cost Explorer client, one paid query per run.
  const resourceCosts: ResourceCostReader | undefined = resourceCostsEnabled(settings)
    ? (arns, asOf) =>
        fetchResourceMonthlyCosts({
          client,
          meter,
          tagKey: settings.tagKey,
          metric: settings.costMetric,
          asOf,
          arns,
        })
    : undefined;
  return {
    source: new CostExplorerSource({
      client,
      meter,
      metric: settings.costMetric,
      accountId: identity.account,
      groupByAccount: settings.costGrouping === 'account',
      cache,
    }),
    scanner: new LiveAwsScanner({
      inventory,
      activity,
      states,
      regions,
      activityCache: cache,
      ...(resourceCosts ? { resourceCosts } : {}),
    }),
    meter,
    close: () => {
      client.destroy();
      inventory.destroy();
      activity.destroy();
      states.destroy();
    },
  };
}
