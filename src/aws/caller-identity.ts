import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ApiMeter } from './api-meter.js';
import { type AwsClientOptions, awsClientConfig } from './aws-clients.js';
import { toAwsCallError } from './aws-errors.js';
import { meterClient } from './metered-client.js';

export interface CallerIdentity {
  account: string;
  arn: string;
  /** The region the SDK resolved from the standard configuration. */
  region: string;
}

/**
 * Who the run is acting as (free, and no permission needed). The account scopes the cost cache and
 * the ARNs built from describe calls; the region is the default for inventory when settings name none.
 */
export async function callerIdentity(
  meter: ApiMeter,
  options: AwsClientOptions = {},
): Promise<CallerIdentity> {
  const client = meterClient(new STSClient(awsClientConfig(options)), 'sts', meter);
  try {
    const identity = await client.send(new GetCallerIdentityCommand({}));
    const region = await client.config.region();
    return { account: identity.Account ?? '', arn: identity.Arn ?? '', region };
  } catch (error) {
    throw toAwsCallError(error, { operation: 'sts:GetCallerIdentity' });
  } finally {
    client.destroy();
  }
}
