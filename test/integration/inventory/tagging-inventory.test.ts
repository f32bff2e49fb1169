import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { TaggingInventory } from '../../../src/inventory/tagging-inventory.js';
import { signedRegion, useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

// The Tagging API is AWS JSON 1.1 with target prefix ResourceGroupsTaggingAPI_20170126.
const server = new FakeAwsServer();
let restoreEnv: () => void;

beforeAll(async () => {
  const endpoint = await server.start();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: endpoint });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});

function mapping(arn: string, poc: string) {
  return {
    ResourceARN: arn,
    Tags: [
      { Key: 'poc', Value: poc },
      { Key: 'owner', Value: 'ana' },
    ],
  };
}

describe('TaggingInventory over the wire', () => {
  let inventory: TaggingInventory | undefined;
  afterEach(() => inventory?.destroy());

  it('paginates GetResources through the real SDK and meters every call', async () => {
    server.on('GetResources', (request) => {
      const region = signedRegion(request.headers.authorization) ?? 'unknown';
      const token = request.body.PaginationToken;
      if (region === 'eu-west-1') {
        return {
          body: {
            PaginationToken: '',
            ResourceTagMappingList: [mapping(`arn:aws:sqs:${region}:123456789012:q`, 'beta')],
          },
        };
      }
      if (token === undefined) {
        return {
          body: {
            PaginationToken: 'p2',
            ResourceTagMappingList: [mapping(`arn:aws:lambda:${region}:123456789012:function:a`, 'alpha')],
          },
        };
      }
      if (token === 'p2') {
        return {
          body: {
            PaginationToken: 'p3',
            ResourceTagMappingList: [mapping(`arn:aws:dynamodb:${region}:123456789012:table/t`, 'alpha')],
          },
        };
      }
      return {
        body: {
          PaginationToken: '',
          ResourceTagMappingList: [mapping('arn:aws:s3:::alpha-bucket', 'alpha')],
        },
      };
    });
    const meter = new ApiMeter();
    inventory = new TaggingInventory({ region: 'us-east-1', meter, maxAttempts: 1 });

    const resources = await inventory.list('poc', ['us-east-1', 'eu-west-1']);

    const calls = server.calls('GetResources');
    expect(calls).toHaveLength(4);
    expect(calls[0]?.headers['x-amz-target']).toBe('ResourceGroupsTaggingAPI_20170126.GetResources');
    for (const call of calls) {
      expect(call.body.TagFilters).toEqual([{ Key: 'poc' }]);
      expect(call.body.ResourcesPerPage).toBe(100);
    }
    const usEast = calls.filter((call) => signedRegion(call.headers.authorization) === 'us-east-1');
    expect(usEast.map((call) => call.body.PaginationToken)).toEqual([undefined, 'p2', 'p3']);
    expect(resources.map((resource) => [resource.type, resource.id, resource.region, resource.poc])).toEqual([
      ['lambda:function', 'a', 'us-east-1', 'alpha'],
      ['dynamodb:table', 't', 'us-east-1', 'alpha'],
      ['s3', 'alpha-bucket', 'us-east-1', 'alpha'],
      ['sqs', 'q', 'eu-west-1', 'beta'],
    ]);
    expect(resources[0]?.tags).toEqual({ poc: 'alpha', owner: 'ana' });
    expect(meter.counts()).toEqual({ 'tag:GetResources': 4 });
    expect(meter.cost()).toBe(0n);
  });
});
