import type { RecommendationStore } from '../approval/recommendation-store.js';
import type { UsedTokenStore } from '../approval/used-tokens.js';
import { ApiMeter } from '../aws/api-meter.js';
import type { CostCache } from '../sources/cost-cache.js';
import type { ActivityCache } from '../state/activity-cache.js';
import { DynamoDbStateStore } from '../state/dynamodb-state-store.js';
import { defaultStatePath, LocalStateStore } from '../state/local-state-store.js';
import type { DeliveryStateStore } from '../state/state-store.js';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

export const STATE_OPTION_HELP =
  'state file, or dynamodb:TABLE for a deployed pocketwatch (default: $POCKETWATCH_STATE or $XDG_STATE_HOME/pocketwatch/state.json)';

/** Everything a command may keep: deliveries, caches, recommendations and spent approval links. */
export type CliStateStore = DeliveryStateStore &
  CostCache &
  ActivityCache &
  RecommendationStore &
  UsedTokenStore & { readonly location: string };

const DYNAMODB_PREFIX = 'dynamodb:';
/** DynamoDB's rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * The store `--state` (or $POCKETWATCH_STATE) names: a local file, or `dynamodb:TABLE`, the state
 * table of a deployment (its `StateTableName` output), reached with the standard AWS credentials and
 * region. The second lets a person approve, list and dry-run against what the deployed service sees.
 */
export function openStateStore(spec: string | undefined, meter = new ApiMeter()): CliStateStore {
  const location = spec ?? defaultStatePath();
  if (!location.startsWith(DYNAMODB_PREFIX)) return new LocalStateStore(location);
  const tableName = location.slice(DYNAMODB_PREFIX.length);
  if (!TABLE_NAME.test(tableName)) {
    throw new CliError(
      `--state "${location}": "${tableName}" is not a DynamoDB table name (3-255 letters, digits, "_", "-", ".")`,
      ExitCode.Usage,
    );
  }
  return new DynamoDbStateStore({ tableName, meter });
}

export function isDeployedState(store: CliStateStore): boolean {
  return store.location.startsWith(DYNAMODB_PREFIX);
}
