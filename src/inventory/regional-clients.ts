import type { ApiMeter } from '../aws/api-meter.js';

/**
 * What the caller passes to build an adapter's SDK clients: the meter every client must report to and
 * any other SDK config (credentials, retries, endpoint, ...). The adapters work across regions and
 * build one client per region from it, so `region` (the home region, if the caller has one) is
 * accepted for symmetry with the client factory but always overridden by the region being read.
 */
export type InventoryClientConfig<SdkConfig> = Omit<SdkConfig, 'region'> & {
  region?: string;
  meter: ApiMeter;
};

/** The SDK config without pocketwatch's own fields, ready for `new XClient({ ...sdkConfig, region })`. */
export function sdkConfigOf<SdkConfig>(config: InventoryClientConfig<SdkConfig>): Omit<SdkConfig, 'region'> {
  const { meter: _meter, region: _region, ...sdkConfig } = config;
  return sdkConfig as Omit<SdkConfig, 'region'>;
}

/** One lazily built SDK client per region, reused across calls and closed together. */
export class RegionalClients<C extends { destroy(): void }> {
  private readonly clients = new Map<string, C>();

  constructor(private readonly create: (region: string) => C) {}

  get(region: string): C {
    let client = this.clients.get(region);
    if (!client) {
      client = this.create(region);
      this.clients.set(region, client);
    }
    return client;
  }

  /** Closes every client's sockets; the adapter can still be used afterwards (clients are rebuilt). */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
