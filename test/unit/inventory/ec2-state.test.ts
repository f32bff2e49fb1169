import {
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { Ec2StateReader } from '../../../src/inventory/ec2-state.js';

const ec2 = mockClient(EC2Client);
const ACCOUNT = '123456789012';

describe('Ec2StateReader', () => {
  let reader: Ec2StateReader;

  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [] });
    reader = new Ec2StateReader({ region: 'us-east-1', meter: new ApiMeter() }, { account: ACCOUNT });
  });
  afterEach(() => reader.destroy());

  it('maps volumes, paginating DescribeVolumes filtered by tag key', async () => {
    ec2
      .on(DescribeVolumesCommand)
      .resolvesOnce({
        NextToken: 'vol-page-2',
        Volumes: [
          {
            VolumeId: 'vol-049df61146c4d7901',
            Size: 8,
            VolumeType: 'gp3',
            State: 'in-use',
            CreateTime: new Date('2025-01-10T09:00:00.000Z'),
            AvailabilityZone: 'us-east-1a',
            Attachments: [
              {
                VolumeId: 'vol-049df61146c4d7901',
                InstanceId: 'i-1234567890abcdef0',
                State: 'attached',
                Device: '/dev/xvda',
              },
            ],
            Tags: [{ Key: 'poc', Value: 'alpha' }],
          },
        ],
      })
      .resolvesOnce({
        Volumes: [
          {
            VolumeId: 'vol-0b1c2d3e4f5a6b7c8',
            OwnerId: '210987654321',
            Size: 100,
            VolumeType: 'gp2',
            State: 'available',
            CreateTime: new Date('2025-02-01T00:00:00.000Z'),
            Attachments: [],
            Tags: [
              { Key: 'poc', Value: 'beta' },
              { Key: 'Name', Value: 'scratch' },
            ],
          },
        ],
      });

    const states = await reader.read('poc', ['us-east-1']);

    const calls = ec2.commandCalls(DescribeVolumesCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { Filters: [{ Name: 'tag-key', Values: ['poc'] }], MaxResults: 500 },
      { Filters: [{ Name: 'tag-key', Values: ['poc'] }], MaxResults: 500, NextToken: 'vol-page-2' },
    ]);
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-049df61146c4d7901`)).toEqual({
      kind: 'volume',
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-049df61146c4d7901`,
      region: 'us-east-1',
      account: ACCOUNT,
      tags: { poc: 'alpha' },
      poc: 'alpha',
      volumeId: 'vol-049df61146c4d7901',
      state: 'in-use',
      unattached: false,
      attachedTo: ['i-1234567890abcdef0'],
      sizeGiB: 8,
      volumeType: 'gp3',
      createTime: '2025-01-10T09:00:00.000Z',
    });
    // The volume's own OwnerId wins over the caller's account.
    expect(states.get('arn:aws:ec2:us-east-1:210987654321:volume/vol-0b1c2d3e4f5a6b7c8')).toMatchObject({
      state: 'available',
      unattached: true,
      attachedTo: [],
      sizeGiB: 100,
      poc: 'beta',
    });
  });

  it('maps Elastic IPs with and without an association (one DescribeAddresses, no pagination)', async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        {
          AllocationId: 'eipalloc-12345678',
          AssociationId: 'eipassoc-12345678',
          Domain: 'vpc',
          InstanceId: 'i-1234567890abcdef0',
          NetworkInterfaceId: 'eni-12345678',
          PublicIp: '203.0.113.0',
          Tags: [{ Key: 'poc', Value: 'alpha' }],
        },
        {
          AllocationId: 'eipalloc-87654321',
          Domain: 'vpc',
          PublicIp: '198.51.100.0',
          Tags: [{ Key: 'poc', Value: 'alpha' }],
        },
        // No allocation id (EC2-Classic): cannot be addressed by ARN, skipped.
        { PublicIp: '192.0.2.1', Domain: 'standard' },
      ],
    });
    const states = await reader.read('poc', ['us-east-1']);
    expect(ec2.commandCalls(DescribeAddressesCommand).map((call) => call.args[0].input)).toEqual([
      { Filters: [{ Name: 'tag-key', Values: ['poc'] }] },
    ]);
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/eipalloc-12345678`)).toMatchObject({
      kind: 'elastic-ip',
      allocationId: 'eipalloc-12345678',
      publicIp: '203.0.113.0',
      associated: true,
      associationId: 'eipassoc-12345678',
      instanceId: 'i-1234567890abcdef0',
    });
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/eipalloc-87654321`)).toMatchObject({
      associated: false,
      associationId: undefined,
      publicIp: '198.51.100.0',
    });
    expect(states.size).toBe(2);
  });

  it('maps NAT gateways using the API’s singular `Filter` parameter, paginating', async () => {
    ec2
      .on(DescribeNatGatewaysCommand)
      .resolvesOnce({
        NextToken: 'nat-2',
        NatGateways: [
          {
            NatGatewayId: 'nat-05dba92075d71c408',
            State: 'available',
            VpcId: 'vpc-1a2b3c4d',
            SubnetId: 'subnet-847e4dc2',
            CreateTime: new Date('2025-01-05T12:00:00.000Z'),
            Tags: [{ Key: 'poc', Value: 'alpha' }],
          },
        ],
      })
      .resolvesOnce({
        NatGateways: [
          { NatGatewayId: 'nat-0deleted', State: 'deleted', Tags: [{ Key: 'poc', Value: 'alpha' }] },
        ],
      });
    const states = await reader.read('poc', ['us-east-1']);
    expect(ec2.commandCalls(DescribeNatGatewaysCommand).map((call) => call.args[0].input)).toEqual([
      { Filter: [{ Name: 'tag-key', Values: ['poc'] }], MaxResults: 500 },
      { Filter: [{ Name: 'tag-key', Values: ['poc'] }], MaxResults: 500, NextToken: 'nat-2' },
    ]);
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-05dba92075d71c408`)).toEqual({
      kind: 'natgateway',
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-05dba92075d71c408`,
      region: 'us-east-1',
      account: ACCOUNT,
      tags: { poc: 'alpha' },
      poc: 'alpha',
      natGatewayId: 'nat-05dba92075d71c408',
      state: 'available',
      vpcId: 'vpc-1a2b3c4d',
      subnetId: 'subnet-847e4dc2',
      createTime: '2025-01-05T12:00:00.000Z',
    });
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-0deleted`)).toMatchObject({
      state: 'deleted',
    });
  });

  it('makes one call of each kind per region, whatever the number of resources', async () => {
    ec2.on(DescribeVolumesCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      return {
        Volumes: Array.from({ length: 50 }, (_, i) => ({
          VolumeId: `vol-${region}-${i}`,
          State: 'available' as const,
        })),
      };
    });
    const states = await reader.read('poc', ['us-east-1', 'eu-west-1']);
    expect(ec2.commandCalls(DescribeVolumesCommand)).toHaveLength(2);
    expect(ec2.commandCalls(DescribeAddressesCommand)).toHaveLength(2);
    expect(ec2.commandCalls(DescribeNatGatewaysCommand)).toHaveLength(2);
    expect(states.size).toBe(100);
    expect(states.has(`arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/vol-eu-west-1-7`)).toBe(true);
  });

  it('builds ARNs in another partition when asked', async () => {
    ec2
      .on(DescribeNatGatewaysCommand)
      .resolves({ NatGateways: [{ NatGatewayId: 'nat-1', State: 'pending' }] });
    const china = new Ec2StateReader(
      { region: 'cn-north-1', meter: new ApiMeter() },
      { account: ACCOUNT, partition: 'aws-cn' },
    );
    const states = await china.read('poc', ['cn-north-1']);
    china.destroy();
    expect([...states.keys()]).toEqual([`arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:natgateway/nat-1`]);
  });
});
