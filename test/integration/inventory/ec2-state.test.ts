import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { Ec2StateReader } from '../../../src/inventory/ec2-state.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

// EC2 speaks its own Query protocol: form-encoded requests (Action=…, Filter.1.Name=…), XML responses
// shaped like the EC2 API reference examples (…Set/item lists, camelCase element names).
const server = new FakeAwsServer();
let restoreEnv: () => void;

beforeAll(async () => {
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_EC2: endpoint });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const ACCOUNT = '123456789012';

const volumesPage1 = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeVolumesResponse xmlns="${NS}">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <volumeSet>
    <item>
      <volumeId>vol-049df61146c4d7901</volumeId>
      <size>8</size>
      <snapshotId>snap-1234567890abcdef0</snapshotId>
      <availabilityZone>us-east-1a</availabilityZone>
      <status>in-use</status>
      <createTime>2025-01-10T09:00:00.000Z</createTime>
      <attachmentSet>
        <item>
          <volumeId>vol-049df61146c4d7901</volumeId>
          <instanceId>i-1234567890abcdef0</instanceId>
          <device>/dev/xvda</device>
          <status>attached</status>
          <attachTime>2025-01-10T09:00:05.000Z</attachTime>
          <deleteOnTermination>true</deleteOnTermination>
        </item>
      </attachmentSet>
      <volumeType>gp3</volumeType>
      <iops>3000</iops>
      <encrypted>false</encrypted>
      <multiAttachEnabled>false</multiAttachEnabled>
      <throughput>125</throughput>
      <tagSet>
        <item><key>poc</key><value>alpha</value></item>
      </tagSet>
    </item>
  </volumeSet>
  <nextToken>vol-page-2</nextToken>
</DescribeVolumesResponse>`;

const volumesPage2 = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeVolumesResponse xmlns="${NS}">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLF</requestId>
  <volumeSet>
    <item>
      <volumeId>vol-0b1c2d3e4f5a6b7c8</volumeId>
      <size>100</size>
      <snapshotId/>
      <availabilityZone>us-east-1b</availabilityZone>
      <status>available</status>
      <createTime>2025-02-01T00:00:00.000Z</createTime>
      <attachmentSet/>
      <volumeType>gp2</volumeType>
      <iops>300</iops>
      <encrypted>true</encrypted>
      <multiAttachEnabled>false</multiAttachEnabled>
      <tagSet>
        <item><key>poc</key><value>beta</value></item>
        <item><key>Name</key><value>scratch</value></item>
      </tagSet>
    </item>
  </volumeSet>
</DescribeVolumesResponse>`;

const addresses = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeAddressesResponse xmlns="${NS}">
  <requestId>f7de5e98-491a-4c19-a92d-908d6EXAMPLE</requestId>
  <addressesSet>
    <item>
      <publicIp>203.0.113.41</publicIp>
      <allocationId>eipalloc-08229861</allocationId>
      <domain>vpc</domain>
      <instanceId>i-0598c7d356eba48d7</instanceId>
      <associationId>eipassoc-f0229899</associationId>
      <networkInterfaceId>eni-ef229886</networkInterfaceId>
      <networkInterfaceOwnerId>053230519467</networkInterfaceOwnerId>
      <privateIpAddress>10.0.0.228</privateIpAddress>
      <networkBorderGroup>us-east-1</networkBorderGroup>
      <tagSet><item><key>poc</key><value>alpha</value></item></tagSet>
    </item>
    <item>
      <publicIp>198.51.100.7</publicIp>
      <allocationId>eipalloc-0ab1cd2ef3</allocationId>
      <domain>vpc</domain>
      <publicIpv4Pool>amazon</publicIpv4Pool>
      <networkBorderGroup>us-east-1</networkBorderGroup>
      <tagSet><item><key>poc</key><value>alpha</value></item></tagSet>
    </item>
  </addressesSet>
</DescribeAddressesResponse>`;

const natGateways = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeNatGatewaysResponse xmlns="${NS}">
  <requestId>bfed02c6-dae9-47c0-86a2-example</requestId>
  <natGatewaySet>
    <item>
      <subnetId>subnet-1a2a3a4a</subnetId>
      <natGatewayAddressSet>
        <item>
          <networkInterfaceId>eni-00e37850</networkInterfaceId>
          <publicIp>198.18.125.129</publicIp>
          <allocationId>eipalloc-37fc1a52</allocationId>
          <privateIp>10.0.2.147</privateIp>
        </item>
      </natGatewayAddressSet>
      <createTime>2025-01-05T12:00:00.416Z</createTime>
      <vpcId>vpc-4e20d42b</vpcId>
      <natGatewayId>nat-04e77a5e9c34432f9</natGatewayId>
      <state>available</state>
      <connectivityType>public</connectivityType>
      <tagSet><item><key>poc</key><value>alpha</value></item></tagSet>
    </item>
  </natGatewaySet>
</DescribeNatGatewaysResponse>`;

describe('Ec2StateReader over the wire', () => {
  it('sends tag-key filtered describes, paginates volumes, and parses the real XML shapes', async () => {
    server
      .on('DescribeVolumes', (request) => ({
        body: request.body.NextToken === 'vol-page-2' ? volumesPage2 : volumesPage1,
      }))
      .on('DescribeAddresses', () => ({ body: addresses }))
      .on('DescribeNatGateways', () => ({ body: natGateways }));
    const meter = new ApiMeter();
    const reader = new Ec2StateReader({ region: 'us-east-1', meter, maxAttempts: 1 }, { account: ACCOUNT });

    const states = await reader.read('poc', ['us-east-1']);
    reader.destroy();

    const volumeCalls = server.calls('DescribeVolumes');
    expect(volumeCalls.map((call) => call.body)).toEqual([
      {
        Action: 'DescribeVolumes',
        Version: '2016-11-15',
        'Filter.1.Name': 'tag-key',
        'Filter.1.Value.1': 'poc',
        MaxResults: '500',
      },
      {
        Action: 'DescribeVolumes',
        Version: '2016-11-15',
        'Filter.1.Name': 'tag-key',
        'Filter.1.Value.1': 'poc',
        MaxResults: '500',
        NextToken: 'vol-page-2',
      },
    ]);
    expect(server.calls('DescribeAddresses').map((call) => call.body)).toEqual([
      {
        Action: 'DescribeAddresses',
        Version: '2016-11-15',
        'Filter.1.Name': 'tag-key',
        'Filter.1.Value.1': 'poc',
      },
    ]);
    expect(server.calls('DescribeNatGateways').map((call) => call.body)).toEqual([
      {
        Action: 'DescribeNatGateways',
        Version: '2016-11-15',
        'Filter.1.Name': 'tag-key',
        'Filter.1.Value.1': 'poc',
        MaxResults: '500',
      },
    ]);

    expect([...states.keys()].sort()).toEqual([
      `arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/eipalloc-08229861`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/eipalloc-0ab1cd2ef3`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-04e77a5e9c34432f9`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-049df61146c4d7901`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0b1c2d3e4f5a6b7c8`,
    ]);
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-049df61146c4d7901`)).toMatchObject({
      kind: 'volume',
      state: 'in-use',
      unattached: false,
      attachedTo: ['i-1234567890abcdef0'],
      sizeGiB: 8,
      volumeType: 'gp3',
      createTime: '2025-01-10T09:00:00.000Z',
      tags: { poc: 'alpha' },
      poc: 'alpha',
    });
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0b1c2d3e4f5a6b7c8`)).toMatchObject({
      state: 'available',
      unattached: true,
      attachedTo: [],
      sizeGiB: 100,
      tags: { poc: 'beta', Name: 'scratch' },
    });
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/eipalloc-08229861`)).toMatchObject({
      kind: 'elastic-ip',
      publicIp: '203.0.113.41',
      associated: true,
      associationId: 'eipassoc-f0229899',
      instanceId: 'i-0598c7d356eba48d7',
      networkInterfaceId: 'eni-ef229886',
    });
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:elastic-ip/eipalloc-0ab1cd2ef3`)).toMatchObject({
      publicIp: '198.51.100.7',
      associated: false,
      associationId: undefined,
    });
    expect(states.get(`arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-04e77a5e9c34432f9`)).toEqual({
      kind: 'natgateway',
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:natgateway/nat-04e77a5e9c34432f9`,
      region: 'us-east-1',
      account: ACCOUNT,
      tags: { poc: 'alpha' },
      poc: 'alpha',
      natGatewayId: 'nat-04e77a5e9c34432f9',
      state: 'available',
      vpcId: 'vpc-4e20d42b',
      subnetId: 'subnet-1a2a3a4a',
      createTime: '2025-01-05T12:00:00.416Z',
    });
    expect(meter.counts()).toEqual({
      'ec2:DescribeAddresses': 1,
      'ec2:DescribeNatGateways': 1,
      'ec2:DescribeVolumes': 2,
    });
    expect(meter.cost()).toBe(0n);
  });
});
