import {
  ec2Error as ec2ErrorResponse,
  type FakeAwsServer,
  type FakeResponse,
  type RecordedRequest,
} from './fake-aws-server.js';

/**
 * A small stateful EC2 for teardown tests: NAT gateways, volumes, addresses and snapshots that
 * describe calls see and delete calls change, over EC2's Query protocol (form in, XML out), so the
 * real SDK and the real deleters run against it. Deletions that take time in AWS take polls here:
 * a NAT gateway is "deleting" for `deletingPolls` describes before it is "deleted"; a snapshot is
 * "pending" for `snapshotPolls` describes.
 */
export interface FakeNatGateway {
  id: string;
  state: 'available' | 'deleting' | 'deleted';
  tags: Record<string, string>;
  createTime?: string;
  /** Describes answered while deleting, before it is deleted. */
  deletingPolls?: number;
}

export interface FakeVolume {
  id: string;
  state: 'available' | 'in-use' | 'deleting';
  tags: Record<string, string>;
  createTime?: string;
}

export interface FakeAddress {
  allocationId: string;
  tags: Record<string, string>;
  /** The NAT gateway whose network interface holds it: released only once that one is deleted. */
  heldBy?: string;
}

export interface FakeSnapshot {
  id: string;
  volumeId: string;
  state: 'pending' | 'completed';
  tags: Record<string, string>;
  pendingPolls: number;
}

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export class FakeEc2 {
  readonly natGateways = new Map<string, FakeNatGateway>();
  readonly volumes = new Map<string, FakeVolume>();
  readonly addresses = new Map<string, FakeAddress>();
  readonly snapshots: FakeSnapshot[] = [];
  /** Every mutating call, in order: "DeleteNatGateway nat-1", "CreateSnapshot vol-1", … */
  readonly mutations: string[] = [];
  snapshotPolls = 1;
  /** Called before each resource is described, with how many times it has been described so far. */
  beforeDescribe?: (id: string, describedBefore: number) => void;
  private readonly describeCounts = new Map<string, number>();

  constructor(readonly server: FakeAwsServer) {
    server
      .on('DescribeNatGateways', (request) => this.describeNatGateways(request))
      .on('DeleteNatGateway', (request) => this.deleteNatGateway(request))
      .on('DescribeVolumes', (request) => this.describeVolumes(request))
      .on('DeleteVolume', (request) => this.deleteVolume(request))
      .on('DescribeAddresses', (request) => this.describeAddresses(request))
      .on('ReleaseAddress', (request) => this.releaseAddress(request))
      .on('CreateSnapshot', (request) => this.createSnapshot(request))
      .on('DescribeSnapshots', (request) => this.describeSnapshots(request));
  }

  natGateway(gateway: FakeNatGateway): this {
    this.natGateways.set(gateway.id, gateway);
    return this;
  }

  volume(volume: FakeVolume): this {
    this.volumes.set(volume.id, volume);
    return this;
  }

  address(address: FakeAddress): this {
    this.addresses.set(address.allocationId, address);
    return this;
  }

  private noteDescribe(id: string): void {
    const before = this.describeCounts.get(id) ?? 0;
    this.beforeDescribe?.(id, before);
    this.describeCounts.set(id, before + 1);
  }

  private describeNatGateways(request: RecordedRequest): FakeResponse {
    const items: string[] = [];
    for (const id of requestedIds(request, 'NatGatewayId', 'Filter', this.natGateways)) {
      this.noteDescribe(id);
      const gateway = this.natGateways.get(id);
      if (!gateway) return ec2Error('NatGatewayNotFound', `The Nat Gateway ${id} was not found`);
      if (gateway.state === 'deleting') {
        if ((gateway.deletingPolls ?? 0) <= 0) gateway.state = 'deleted';
        else gateway.deletingPolls = (gateway.deletingPolls ?? 0) - 1;
      }
      items.push(
        `<item><natGatewayId>${id}</natGatewayId><state>${gateway.state}</state>${
          gateway.createTime ? `<createTime>${gateway.createTime}</createTime>` : ''
        }${tagSet(gateway.tags)}</item>`,
      );
    }
    return xml('DescribeNatGatewaysResponse', `<natGatewaySet>${items.join('')}</natGatewaySet>`);
  }

  private deleteNatGateway(request: RecordedRequest): FakeResponse {
    const id = String(request.body.NatGatewayId);
    const gateway = this.natGateways.get(id);
    if (!gateway || gateway.state === 'deleted') return ec2Error('NatGatewayNotFound', `${id} not found`);
    this.mutations.push(`DeleteNatGateway ${id}`);
    gateway.state = 'deleting';
    return xml('DeleteNatGatewayResponse', `<natGatewayId>${id}</natGatewayId>`);
  }

  private describeVolumes(request: RecordedRequest): FakeResponse {
    const items: string[] = [];
    for (const id of requestedIds(request, 'VolumeId', 'Filter', this.volumes)) {
      this.noteDescribe(id);
      const volume = this.volumes.get(id);
      if (!volume) return ec2Error('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
      items.push(
        `<item><volumeId>${id}</volumeId><status>${volume.state}</status>${
          volume.createTime ? `<createTime>${volume.createTime}</createTime>` : ''
        }${tagSet(volume.tags)}</item>`,
      );
    }
    return xml('DescribeVolumesResponse', `<volumeSet>${items.join('')}</volumeSet>`);
  }

  private deleteVolume(request: RecordedRequest): FakeResponse {
    const id = String(request.body.VolumeId);
    if (!this.volumes.has(id))
      return ec2Error('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
    this.mutations.push(`DeleteVolume ${id}`);
    this.volumes.delete(id);
    return xml('DeleteVolumeResponse', '<return>true</return>');
  }

  private describeAddresses(request: RecordedRequest): FakeResponse {
    const items: string[] = [];
    for (const id of requestedIds(request, 'AllocationId', 'Filter', this.addresses)) {
      this.noteDescribe(id);
      const address = this.addresses.get(id);
      if (!address)
        return ec2Error('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
      const associated =
        address.heldBy !== undefined && this.natGateways.get(address.heldBy)?.state !== 'deleted';
      items.push(
        `<item><allocationId>${id}</allocationId><publicIp>198.51.100.7</publicIp><domain>vpc</domain>${
          associated ? '<associationId>eipassoc-1</associationId>' : ''
        }${tagSet(address.tags)}</item>`,
      );
    }
    return xml('DescribeAddressesResponse', `<addressesSet>${items.join('')}</addressesSet>`);
  }

  private releaseAddress(request: RecordedRequest): FakeResponse {
    const id = String(request.body.AllocationId);
    const address = this.addresses.get(id);
    if (!address) return ec2Error('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
    if (address.heldBy !== undefined && this.natGateways.get(address.heldBy)?.state !== 'deleted') {
      return ec2Error('InvalidIPAddress.InUse', 'Address is in use');
    }
    this.mutations.push(`ReleaseAddress ${id}`);
    this.addresses.delete(id);
    return xml('ReleaseAddressResponse', '<return>true</return>');
  }

  private createSnapshot(request: RecordedRequest): FakeResponse {
    const volumeId = String(request.body.VolumeId);
    if (!this.volumes.has(volumeId)) return ec2Error('InvalidVolume.NotFound', `${volumeId} does not exist`);
    const tags: Record<string, string> = {};
    for (let i = 1; request.body[`TagSpecification.1.Tag.${i}.Key`] !== undefined; i++) {
      tags[String(request.body[`TagSpecification.1.Tag.${i}.Key`])] = String(
        request.body[`TagSpecification.1.Tag.${i}.Value`] ?? '',
      );
    }
    const snapshot: FakeSnapshot = {
      id: `snap-${this.snapshots.length + 1}`,
      volumeId,
      state: 'pending',
      tags,
      pendingPolls: this.snapshotPolls,
    };
    this.snapshots.push(snapshot);
    this.mutations.push(`CreateSnapshot ${volumeId}`);
    return xml(
      'CreateSnapshotResponse',
      `<snapshotId>${snapshot.id}</snapshotId><volumeId>${volumeId}</volumeId><status>pending</status><progress>0%</progress>`,
    );
  }

  private describeSnapshots(request: RecordedRequest): FakeResponse {
    const name = String(request.body['Filter.1.Name'] ?? '');
    const value = String(request.body['Filter.1.Value.1'] ?? '');
    const key = name.startsWith('tag:') ? name.slice(4) : undefined;
    const items = this.snapshots
      .filter((snapshot) => key === undefined || snapshot.tags[key] === value)
      .map((snapshot) => {
        if (snapshot.state === 'pending') {
          if (snapshot.pendingPolls <= 0) snapshot.state = 'completed';
          else snapshot.pendingPolls -= 1;
        }
        return `<item><snapshotId>${snapshot.id}</snapshotId><volumeId>${snapshot.volumeId}</volumeId><status>${snapshot.state}</status><progress>${snapshot.state === 'completed' ? '100%' : '40%'}</progress>${tagSet(snapshot.tags)}</item>`;
      });
    return xml('DescribeSnapshotsResponse', `<snapshotSet>${items.join('')}</snapshotSet>`);
  }
}

/**
 * The ids a describe asks for: the listed ones, or (a listing) every known resource carrying the
 * `tag-key` filter's key, as the inventory's tag-filtered describes ask.
 */
function requestedIds(
  request: RecordedRequest,
  idParam: string,
  filterParam: string,
  known: ReadonlyMap<string, { tags: Record<string, string> }>,
): string[] {
  const ids = listParam(request, idParam);
  if (ids.length > 0) return ids;
  const tagKey =
    request.body[`${filterParam}.1.Name`] === 'tag-key'
      ? String(request.body[`${filterParam}.1.Value.1`])
      : undefined;
  return [...known]
    .filter(([, resource]) => tagKey === undefined || tagKey in resource.tags)
    .map(([id]) => id);
}

/** `NatGatewayId.1`, `NatGatewayId.2`, … as the Query protocol flattens a list. */
function listParam(request: RecordedRequest, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; request.body[`${name}.${i}`] !== undefined; i++)
    values.push(String(request.body[`${name}.${i}`]));
  return values;
}

function tagSet(tags: Record<string, string>): string {
  return `<tagSet>${Object.entries(tags)
    .map(([key, value]) => `<item><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></item>`)
    .join('')}</tagSet>`;
}

function xml(root: string, inner: string): FakeResponse {
  return { body: `<${root} xmlns="${NS}"><requestId>1</requestId>${inner}</${root}>` };
}

function ec2Error(code: string, message: string): FakeResponse {
  return ec2ErrorResponse(400, code, escapeXml(message));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
