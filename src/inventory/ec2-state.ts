import {
  type Address,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeVolumesCommand,
  EC2Client,
  type EC2ClientConfig,
  type NatGateway,
  type Volume,
} from '@aws-sdk/client-ec2';
import { meterClient } from '../aws/metered-client.js';
import { mapBounded } from './bounded-map.js';
import { nextPageToken } from './page-token.js';
import { type InventoryClientConfig, RegionalClients, sdkConfigOf } from './regional-clients.js';
import { SkippedItems } from './skipped-items.js';
import { tagRecord } from './tag-record.js';

export type Ec2StateConfig = InventoryClientConfig<EC2ClientConfig>;

export interface Ec2StateOptions {
  /** The account the clients' credentials belong to; ARNs are built with it (EIPs and NAT gateways carry none). */
  account: string;
  /** ARN partition (default "aws"; "aws-cn", "aws-us-gov" elsewhere). */
  partition?: string;
  /** Regions described at the same time (default 4). */
  concurrency?: number;
}

interface Ec2StateBase {
  arn: string;
  region: string;
  account: string;
  tags: Record<string, string>;
  /** The PoC tag's value ('' when the tag is present with an empty value). */
  poc: string;
}

export interface VolumeState extends Ec2StateBase {
  kind: 'volume';
  volumeId: string;
  /** "available" means attached to nothing: it is paid for and unused. */
  state: string;
  unattached: boolean;
  /** Instances the volume is attached to. */
  attachedTo: string[];
  sizeGiB: number | undefined;
  volumeType: string | undefined;
  /** ISO 8601. */
  createTime: string | undefined;
}

export interface ElasticIpState extends Ec2StateBase {
  kind: 'elastic-ip';
  allocationId: string;
  publicIp: string | undefined;
  /** No association: the address is allocated but not attached to anything (and still billed hourly). */
  associated: boolean;
  associationId: string | undefined;
  instanceId: string | undefined;
  networkInterfaceId: string | undefined;
}

export interface NatGatewayState extends Ec2StateBase {
  kind: 'natgateway';
  natGatewayId: string;
  /** pending | available | deleting | deleted | failed; deleted gateways stay listed for about an hour. */
  state: string;
  vpcId: string | undefined;
  subnetId: string | undefined;
  /** ISO 8601. */
  createTime: string | undefined;
}

export type Ec2ResourceState = VolumeState | ElasticIpState | NatGatewayState;

/** The describe kinds, each one call (plus pages) per region. */
export const EC2_STATE_KINDS = ['volume', 'elastic-ip', 'natgateway'] as const satisfies ReadonlyArray<
  Ec2ResourceState['kind']
>;

/** Page size for the paginated describes (both accept 5–1000). */
const PAGE_SIZE = 500;

/**
 * State that CloudWatch metrics do not show: unattached EBS volumes, unassociated Elastic IPs, NAT
 * gateway states. One describe per kind per region, filtered by the PoC tag key (plus pages), never
 * one call per resource. These describes also confirm that a resource the Tagging API lists still
 * exists: a ghost is absent here.
 */
export class Ec2StateReader {
  private readonly clients: RegionalClients<EC2Client>;
  private readonly account: string;
  private readonly partition: string;
  private readonly concurrency: number;

  constructor(config: Ec2StateConfig, options: Ec2StateOptions) {
    const sdkConfig = sdkConfigOf(config);
    this.clients = new RegionalClients((region) =>
      meterClient(new EC2Client({ ...sdkConfig, region }), 'ec2', config.meter),
    );
    this.account = options.account;
    this.partition = options.partition ?? 'aws';
    this.concurrency = options.concurrency ?? 4;
  }

  /** Volumes, Elastic IPs and NAT gateways carrying `tagKey` in `regions`, keyed by ARN. */
  async read(
    tagKey: string,
    regions: readonly string[],
    skipped: SkippedItems = new SkippedItems(),
  ): Promise<Map<string, Ec2ResourceState>> {
    if (tagKey === '') throw new Error('the PoC tag key must not be empty');
    const perRegion = await mapBounded([...new Set(regions)], this.concurrency, async (region) => {
      const kinds = await Promise.all(
        EC2_STATE_KINDS.map((kind) => this.readKind(kind, tagKey, region, skipped)),
      );
      return kinds.flat();
    });
    return new Map(perRegion.flat().map((state) => [state.arn, state]));
  }

  /**
   * One kind in one region: the unit a run can lose on its own (a denied DescribeAddresses costs the
   * Elastic IPs of that region, not the volumes). Items without an id are skipped and counted.
   */
  async readKind(
    kind: Ec2ResourceState['kind'],
    tagKey: string,
    region: string,
    skipped: SkippedItems = new SkippedItems(),
  ): Promise<Ec2ResourceState[]> {
    if (tagKey === '') throw new Error('the PoC tag key must not be empty');
    switch (kind) {
      case 'volume':
        return this.volumes(tagKey, region, skipped);
      case 'elastic-ip':
        return this.addresses(tagKey, region);
      case 'natgateway':
        return this.natGateways(tagKey, region, skipped);
    }
  }

  /** Closes the SDK clients' connections. */
  destroy(): void {
    this.clients.destroy();
  }

  private async volumes(tagKey: string, region: string, skipped: SkippedItems): Promise<VolumeState[]> {
    const client = this.clients.get(region);
    const states: VolumeState[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await client.send(
        new DescribeVolumesCommand({
          Filters: [{ Name: 'tag-key', Values: [tagKey] }],
          MaxResults: PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const volume of page.Volumes ?? []) {
        const state = this.volumeState(volume, tagKey, region);
        if (state) states.push(state);
        else skipped.note('ec2:DescribeVolumes', region, JSON.stringify(volume), 'no VolumeId');
      }
      token = nextPageToken(page.NextToken, seen, 'ec2:DescribeVolumes');
    } while (token);
    return states;
  }

  /** DescribeAddresses is not paginated: one call returns every address in the region. */
  private async addresses(tagKey: string, region: string): Promise<ElasticIpState[]> {
    const page = await this.clients
      .get(region)
      .send(new DescribeAddressesCommand({ Filters: [{ Name: 'tag-key', Values: [tagKey] }] }));
    return (page.Addresses ?? []).flatMap((address) => this.addressState(address, tagKey, region) ?? []);
  }

  private async natGateways(
    tagKey: string,
    region: string,
    skipped: SkippedItems,
  ): Promise<NatGatewayState[]> {
    const client = this.clients.get(region);
    const states: NatGatewayState[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await client.send(
        new DescribeNatGatewaysCommand({
          // This API names its filter list "Filter", not "Filters".
          Filter: [{ Name: 'tag-key', Values: [tagKey] }],
          MaxResults: PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const natGateway of page.NatGateways ?? []) {
        const state = this.natGatewayState(natGateway, tagKey, region);
        if (state) states.push(state);
        else skipped.note('ec2:DescribeNatGateways', region, JSON.stringify(natGateway), 'no NatGatewayId');
      }
      token = nextPageToken(page.NextToken, seen, 'ec2:DescribeNatGateways');
    } while (token);
    return states;
  }

  private volumeState(volume: Volume, tagKey: string, region: string): VolumeState | undefined {
    if (!volume.VolumeId) return undefined;
    const account = volume.OwnerId || this.account;
    const tags = tagRecord(volume.Tags);
    const state = volume.State ?? 'unknown';
    return {
      kind: 'volume',
      arn: this.arn(region, account, `volume/${volume.VolumeId}`),
      region,
      account,
      tags,
      poc: tags[tagKey] ?? '',
      volumeId: volume.VolumeId,
      state,
      unattached: state === 'available',
      attachedTo: (volume.Attachments ?? []).flatMap((attachment) => attachment.InstanceId ?? []),
      sizeGiB: volume.Size,
      volumeType: volume.VolumeType,
      createTime: volume.CreateTime?.toISOString(),
    };
  }

  private addressState(address: Address, tagKey: string, region: string): ElasticIpState | undefined {
    // Only VPC addresses have an allocation id, and only they can be tagged; EC2-Classic is gone.
    if (!address.AllocationId) return undefined;
    const tags = tagRecord(address.Tags);
    return {
      kind: 'elastic-ip',
      arn: this.arn(region, this.account, `elastic-ip/${address.AllocationId}`),
      region,
      account: this.account,
      tags,
      poc: tags[tagKey] ?? '',
      allocationId: address.AllocationId,
      publicIp: address.PublicIp,
      associated: Boolean(address.AssociationId),
      associationId: address.AssociationId,
      instanceId: address.InstanceId,
      networkInterfaceId: address.NetworkInterfaceId,
    };
  }

  private natGatewayState(
    natGateway: NatGateway,
    tagKey: string,
    region: string,
  ): NatGatewayState | undefined {
    if (!natGateway.NatGatewayId) return undefined;
    const tags = tagRecord(natGateway.Tags);
    return {
      kind: 'natgateway',
      arn: this.arn(region, this.account, `natgateway/${natGateway.NatGatewayId}`),
      region,
      account: this.account,
      tags,
      poc: tags[tagKey] ?? '',
      natGatewayId: natGateway.NatGatewayId,
      state: natGateway.State ?? 'unknown',
      vpcId: natGateway.VpcId,
      subnetId: natGateway.SubnetId,
      createTime: natGateway.CreateTime?.toISOString(),
    };
  }

  private arn(region: string, account: string, resource: string): string {
    return `arn:${this.partition}:ec2:${region}:${account}:${resource}`;
  }
}
