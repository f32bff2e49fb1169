import type { ApiMeter } from '../aws/api-meter.js';
import { type AwsClientConfig, awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';

/** Any SDK v3 client (they differ in their input/output unions). */
type SdkClient = Parameters<typeof meterClient>[0] & { destroy(): void };

/**
 * One SDK client per service and region, built on first use, every one metered (calls counted and
 * priced under `service:Operation`) and explaining its final errors. Deleters ask the pool instead
 * of building clients, so a teardown across many types and regions opens each connection once.
 */
export class AwsClientPool {
  private readonly clients = new Map<string, SdkClient>();
  private readonly config: AwsClientConfig;

  constructor(
    readonly meter: ApiMeter,
    config: AwsClientConfig = awsClientConfig(),
  ) {
    this.config = config;
  }

  /**
   * The client for `service` (the IAM prefix: "ec2", "lambda", …, which names its calls in the meter
   * and in error messages) in `region`; `create` builds it from the shared configuration the first
   * time. `variant` keeps apart two SDK clients of one IAM prefix (API Gateway v1 and v2).
   */
  get<C extends SdkClient>(
    service: string,
    region: string,
    create: (config: AwsClientConfig & { region: string }) => C,
    variant = '',
  ): C {
    const key = `${service}${variant}@${region}`;
    let client = this.clients.get(key) as C | undefined;
    if (!client) {
      client = meterClient(create({ ...this.config, region }), service, this.meter);
      this.clients.set(key, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
