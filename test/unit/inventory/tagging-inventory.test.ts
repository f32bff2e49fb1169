import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../src/aws/api-meter.js';
import { TaggingInventory } from '../../../src/inventory/tagging-inventory.js';

const tagging = mockClient(ResourceGroupsTaggingAPIClient);

function mapping(arn: string, tags: Record<string, string>) {
  return { ResourceARN: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}

describe('TaggingInventory', () => {
  let inventory: TaggingInventory;

  beforeEach(() => {
    tagging.reset();
    inventory = new TaggingInventory({ region: 'us-east-1', meter: new ApiMeter() });
  });
  afterEach(() => inventory.destroy());

  it('follows PaginationToken over three pages and stops at an empty token', async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({
        PaginationToken: 'page-2',
        ResourceTagMappingList: [
          mapping('arn:aws:lambda:us-east-1:123456789012:function:alpha-api', { poc: 'alpha', owner: 'ana' }),
        ],
      })
      .resolvesOnce({
        PaginationToken: 'page-3',
        ResourceTagMappingList: [
          mapping('arn:aws:dynamodb:us-east-1:123456789012:table/alpha-orders', { poc: 'alpha' }),
        ],
      })
      .resolvesOnce({
        PaginationToken: '',
        ResourceTagMappingList: [
          mapping('arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0a1b2c3d4e5f60718', { poc: 'beta' }),
        ],
      });

    const resources = await inventory.list('poc', ['us-east-1']);

    const calls = tagging.commandCalls(GetResourcesCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      { TagFilters: [{ Key: 'poc' }], ResourcesPerPage: 100 },
      { TagFilters: [{ Key: 'poc' }], ResourcesPerPage: 100, PaginationToken: 'page-2' },
      { TagFilters: [{ Key: 'poc' }], ResourcesPerPage: 100, PaginationToken: 'page-3' },
    ]);
    expect(resources).toEqual([
      {
        arn: 'arn:aws:lambda:us-east-1:123456789012:function:alpha-api',
        type: 'lambda:function',
        region: 'us-east-1',
        account: '123456789012',
        id: 'alpha-api',
        tags: { poc: 'alpha', owner: 'ana' },
        poc: 'alpha',
      },
      {
        arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/alpha-orders',
        type: 'dynamodb:table',
        region: 'us-east-1',
        account: '123456789012',
        id: 'alpha-orders',
        tags: { poc: 'alpha' },
        poc: 'alpha',
      },
      {
        arn: 'arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0a1b2c3d4e5f60718',
        type: 'ec2:natgateway',
        region: 'us-east-1',
        account: '123456789012',
        id: 'nat-0a1b2c3d4e5f60718',
        tags: { poc: 'beta' },
        poc: 'beta',
      },
    ]);
  });

  it('stops when the token is absent', async () => {
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
    expect(await inventory.list('poc', ['us-east-1'])).toEqual([]);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(1);
  });

  it('still lists ghosts (deleted resources the Tagging API keeps returning): confirmation is elsewhere', async () => {
    // A function deleted an hour ago looks exactly like a live one in GetResources.
    tagging.on(GetResourcesCommand).resolves({
      PaginationToken: '',
      ResourceTagMappingList: [
        mapping('arn:aws:lambda:us-east-1:123456789012:function:deleted-yesterday', { poc: 'alpha' }),
      ],
    });
    const resources = await inventory.list('poc', ['us-east-1']);
    expect(resources.map((resource) => resource.id)).toEqual(['deleted-yesterday']);
  });

  it('skips mappings whose PoC tag is empty or gone (tag removed, ARN still listed)', async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping('arn:aws:sqs:us-east-1:123456789012:blank', { poc: '' }),
        mapping('arn:aws:sqs:us-east-1:123456789012:untagged', { owner: 'ana' }),
        { Tags: [{ Key: 'poc', Value: 'alpha' }] },
        mapping('arn:aws:sqs:us-east-1:123456789012:kept', { poc: 'alpha' }),
      ],
    });
    const resources = await inventory.list('poc', ['us-east-1']);
    expect(resources.map((resource) => resource.arn)).toEqual(['arn:aws:sqs:us-east-1:123456789012:kept']);
  });

  it('lists each region with its own client and deduplicates by ARN, first region winning', async () => {
    tagging.on(GetResourcesCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      const global = mapping('arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE', {
        poc: 'alpha',
      });
      return {
        PaginationToken: '',
        ResourceTagMappingList: [
          global,
          mapping(`arn:aws:lambda:${region}:123456789012:function:fn`, { poc: 'alpha' }),
          // S3 bucket ARNs carry no region: the listing region stands in.
          ...(region === 'eu-west-1' ? [mapping('arn:aws:s3:::alpha-bucket', { poc: 'alpha' })] : []),
        ],
      };
    });
    const resources = await inventory.list('poc', ['us-east-1', 'eu-west-1', 'us-east-1']);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(2);
    expect(resources.map((resource) => [resource.arn, resource.region])).toEqual([
      ['arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE', 'us-east-1'],
      ['arn:aws:lambda:us-east-1:123456789012:function:fn', 'us-east-1'],
      ['arn:aws:lambda:eu-west-1:123456789012:function:fn', 'eu-west-1'],
      ['arn:aws:s3:::alpha-bucket', 'eu-west-1'],
    ]);
    const bucket = resources.find((resource) => resource.arn === 'arn:aws:s3:::alpha-bucket');
    expect(bucket).toMatchObject({ type: 's3', id: 'alpha-bucket', account: '' });
  });

  it('runs at most `concurrency` regions at once', async () => {
    let inFlight = 0;
    let peak = 0;
    tagging.on(GetResourcesCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { ResourceTagMappingList: [] };
    });
    const bounded = new TaggingInventory({ region: 'us-east-1', meter: new ApiMeter() }, { concurrency: 2 });
    await bounded.list('poc', ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1']);
    bounded.destroy();
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(5);
    expect(peak).toBe(2);
  });

  it('stops on a repeated pagination token instead of looping', async () => {
    tagging.on(GetResourcesCommand).resolves({ PaginationToken: 'same', ResourceTagMappingList: [] });
    await expect(inventory.list('poc', ['us-east-1'])).rejects.toThrow(/same pagination token/);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(2);
  });

  it('propagates SDK errors', async () => {
    tagging.on(GetResourcesCommand).rejects(new Error('AccessDeniedException'));
    await expect(inventory.list('poc', ['us-east-1'])).rejects.toThrow('AccessDeniedException');
  });
});
