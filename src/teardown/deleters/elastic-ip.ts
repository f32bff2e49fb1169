import { DescribeAddressesCommand, EC2Client, ReleaseAddressCommand } from '@aws-sdk/client-ec2';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';

/** Elastic IPs: every public IPv4 address costs about $3.65 a month. Released after what uses it. */
export const elasticIpDeleter: Deleter = {
  type: 'ec2:elastic-ip',
  label: 'Elastic IP',
  order: 50,
  data: { kind: 'none' },
  iam: { describe: ['ec2:DescribeAddresses'], delete: ['ec2:ReleaseAddress'], tagCondition: true },
  notFound: ['InvalidAllocationID.NotFound'],
  // Still associated (with a NAT gateway being deleted, an instance): released on a later pass.
  dependency: ['InvalidIPAddress.InUse'],
  async describe(clients, target) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    const { Addresses = [] } = await ec2.send(new DescribeAddressesCommand({ AllocationIds: [target.id] }));
    const address = Addresses.find((candidate) => candidate.AllocationId === target.id);
    if (!address) return { status: 'gone', tags: {} };
    return {
      status: 'present',
      tags: tagRecord(address.Tags),
      state: { associated: Boolean(address.AssociationId) },
    };
  },
  async delete(clients, target) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    await ec2.send(new ReleaseAddressCommand({ AllocationId: target.id }));
    return {};
  },
};
