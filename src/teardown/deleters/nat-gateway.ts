import { DeleteNatGatewayCommand, DescribeNatGatewaysCommand, EC2Client } from '@aws-sdk/client-ec2';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';

/** NAT gateways: about $32 a month each while idle. Deleting one does not release its Elastic IP. */
export const natGatewayDeleter: Deleter = {
  type: 'ec2:natgateway',
  label: 'NAT gateway',
  order: 40,
  data: { kind: 'none' },
  iam: { describe: ['ec2:DescribeNatGateways'], delete: ['ec2:DeleteNatGateway'], tagCondition: true },
  notFound: ['NatGatewayNotFound', 'InvalidNatGatewayID.NotFound'],
  dependency: [],
  async describe(clients, target) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    const { NatGateways = [] } = await ec2.send(
      new DescribeNatGatewaysCommand({ NatGatewayIds: [target.id] }),
    );
    const gateway = NatGateways.find((candidate) => candidate.NatGatewayId === target.id);
    // Deleted gateways stay listed for about an hour in state "deleted".
    if (!gateway || gateway.State === 'deleted') return { status: 'gone', tags: {} };
    return {
      status: gateway.State === 'deleting' ? 'deleting' : 'present',
      tags: tagRecord(gateway.Tags),
      state: gateway.CreateTime ? { createdAt: gateway.CreateTime.toISOString() } : {},
    };
  },
  async delete(clients, target) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: target.id }));
    return {};
  },
};
