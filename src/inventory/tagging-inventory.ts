import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
  type ResourceGroupsTaggingAPIClientConfig,
  type ResourceTagMapping,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { meterClient } from '../aws/metered-client.js';
import { mapBounded } from './bounded-map.js';
import type { ResourceInventory } from './metric-query.js';
import { nextPageToken } from './page-token.js';
import { type InventoryClientConfig, RegionalClients, sdkConfigOf } from './regional-clients.js';
import { parseArn, type TaggedResource } from './resource.js';
import { SkippedItems } from './skipped-items.js';
import { tagRecord } from './tag-record.js';

export type TaggingInventoryConfig = InventoryClientConfig<ResourceGroupsTaggingAPIClientConfig>;

export interface TaggingInventoryOptions {
  /** Regions listed at the same time (default 4). */
  concurrency?: number;
}

/** The Tagging API's maximum page size. */
const RESOURCES_PER_PAGE = 100;

/**
 * Lists the resources carrying the PoC tag with the Resource Groups Tagging API, one `GetResources`
 * listing per region (free of charge).
 *
 * The Tagging API also returns resources that were deleted minutes to hours ago ("ghosts") and
 * resources whose tag was removed. They are listed here on purpose: this is an inventory, not a
 * verdict. Whether a resource still exists is confirmed elsewhere, with the owning service's describe
 * call at teardown time (see ec2-state.ts for the EC2 side).
 */
export class TaggingInventory implements ResourceInventory {
  private readonly clients: RegionalClients<ResourceGroupsTaggingAPIClient>;
  private readonly concurrency: number;

  constructor(config: TaggingInventoryConfig, options: TaggingInventoryOptions = {}) {
    const sdkConfig = sdkConfigOf(config);
    this.clients = new RegionalClients((region) =>
      meterClient(new ResourceGroupsTaggingAPIClient({ ...sdkConfig, region }), 'tag', config.meter),
    );
    this.concurrency = options.concurrency ?? 4;
  }

  /**
   * Every resource tagged `tagKey` (any non-empty value) in `regions`, deduplicated by ARN (a global
   * resource can show up in several regions; the first region listed wins), in region order.
   */
  async list(
    tagKey: string,
    regions: readonly string[],
    skipped: SkippedItems = new SkippedItems(),
  ): Promise<TaggedResource[]> {
    if (tagKey === '') throw new Error('the PoC tag key must not be empty');
    const uniqueRegions = [...new Set(regions)];
    const perRegion = await mapBounded(uniqueRegions, this.concurrency, (region) =>
      this.listRegion(tagKey, region, skipped),
    );
    const byArn = new Map<string, TaggedResource>();
    for (const resources of perRegion) {
      for (const resource of resources) if (!byArn.has(resource.arn)) byArn.set(resource.arn, resource);
    }
    return [...byArn.values()];
  }

  /** Closes the SDK clients' connections. */
  destroy(): void {
    this.clients.destroy();
  }

  private async listRegion(tagKey: string, region: string, skipped: SkippedItems): Promise<TaggedResource[]> {
    const client = this.clients.get(region);
    const resources: TaggedResource[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetResourcesCommand({
          // A key without Values matches every value of the key.
          TagFilters: [{ Key: tagKey }],
          ResourcesPerPage: RESOURCES_PER_PAGE,
          ...(token ? { PaginationToken: token } : {}),
        }),
      );
      for (const mapping of page.ResourceTagMappingList ?? []) {
        const resource = readMapping(mapping, tagKey, region, skipped);
        if (resource) resources.push(resource);
      }
      token = nextPageToken(page.PaginationToken, seen, 'tag:GetResources');
    } while (token);
    return resources;
  }
}

/** One mapping of a page; one that cannot be read is counted in `skipped` and left out, not fatal. */
function readMapping(
  mapping: ResourceTagMapping,
  tagKey: string,
  region: string,
  skipped: SkippedItems,
): TaggedResource | undefined {
  try {
    return toTaggedResource(mapping, tagKey, region);
  } catch {
    const arn = typeof mapping.ResourceARN === 'string' ? mapping.ResourceARN : '';
    skipped.note('tag:GetResources', region, arn, arn ? 'not a valid ARN or tag list' : 'no ResourceARN');
    return undefined;
  }
}

/** Undefined when the mapping has no non-empty PoC tag (an untagged ghost or a blank value). */
function toTaggedResource(
  mapping: ResourceTagMapping,
  tagKey: string,
  region: string,
): TaggedResource | undefined {
  const arn = mapping.ResourceARN;
  if (typeof arn !== 'string' || arn === '') throw new Error('no ResourceARN');
  const tags = tagRecord(mapping.Tags);
  const poc = tags[tagKey];
  if (!poc) return undefined;
  const parsed = parseArn(arn);
  return {
    arn,
    type: parsed.type,
    // S3 bucket ARNs carry neither region nor account; the region listed in is the bucket's region.
    region: parsed.region || region,
    account: parsed.account,
    id: parsed.resourceId,
    tags,
    poc,
  };
}
