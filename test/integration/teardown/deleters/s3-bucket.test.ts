/**
 * The S3 bucket deleter over S3's REST-XML protocol against the fake endpoint (path-style, as with any
 * local endpoint): fauxqs's S3 has no versions or tagging.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiMeter } from '../../../../src/aws/api-meter.js';
import { s3BucketDeleter as deleter } from '../../../../src/teardown/deleters/s3-bucket.js';
import { deleterFor } from '../../../../src/teardown/deleters.js';
import { signedRegion, useFakeAwsEnv } from '../../../support/fake-aws-env.js';
import { FakeAwsServer, type RecordedRequest, s3Error } from '../../../support/fake-aws-server.js';
import { clientPool, DISCARD, expectCode, failure, target } from './harness.js';

let server: FakeAwsServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = new FakeAwsServer();
  restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL_S3: await server.start() });
});
afterAll(async () => {
  restoreEnv();
  await server.stop();
});
afterEach(() => {
  server.reset();
});

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const BUCKET = 'orders-data';
const ARN = `arn:aws:s3:::${BUCKET}`;
/** Path-style bucket requests: the SDK addresses the bucket as "/name/". */
const PATH = `/${BUCKET}/`;
/** Bucket ARNs carry no region: the Tagging API listing that found the bucket recorded it. */
const BUCKET_TARGET = target(ARN, { type: 's3', region: 'eu-west-1' });

interface Entry {
  key: string;
  versionId: string;
  marker: boolean;
}

/** A versioned bucket in memory, answering ListObjectVersions and DeleteObjects as S3 does. */
class Bucket {
  entries: Entry[] = [];
  batches: number[] = [];

  constructor(versions: number, markers: number) {
    for (let i = 0; i < versions; i++)
      this.entries.push({ key: `k${i % 700}`, versionId: `v${i}`, marker: false });
    for (let i = 0; i < markers; i++) this.entries.push({ key: `k${i}`, versionId: `m${i}`, marker: true });
  }

  list(request: Pick<RecordedRequest, 'query'>) {
    const max = Number(request.query['max-keys'] ?? 1000);
    // S3 lists versions and delete markers together, at most max-keys of both.
    const page = this.entries.slice(0, max);
    const item = (entry: Entry) =>
      entry.marker
        ? `<DeleteMarker><Key>${entry.key}</Key><VersionId>${entry.versionId}</VersionId><IsLatest>true</IsLatest><LastModified>2026-11-20T10:00:00.000Z</LastModified></DeleteMarker>`
        : `<Version><Key>${entry.key}</Key><VersionId>${entry.versionId}</VersionId><IsLatest>false</IsLatest><LastModified>2026-11-20T10:00:00.000Z</LastModified><ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Version>`;
    return {
      body: `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="${NS}"><Name>${BUCKET}</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>${max}</MaxKeys><IsTruncated>${this.entries.length > max}</IsTruncated>${page.map(item).join('')}</ListVersionsResult>`,
    };
  }

  delete(request: RecordedRequest) {
    const objects = [...request.text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((match) => ({
      key: /<Key>(.*?)<\/Key>/.exec(match[1] ?? '')?.[1],
      versionId: /<VersionId>(.*?)<\/VersionId>/.exec(match[1] ?? '')?.[1],
    }));
    this.batches.push(objects.length);
    this.entries = this.entries.filter(
      (entry) => !objects.some((object) => object.key === entry.key && object.versionId === entry.versionId),
    );
    return { body: `<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="${NS}"></DeleteResult>` };
  }
}

describe('S3 bucket deleter', () => {
  it('is found for the Tagging API type "s3" and keeps buckets while data is kept', () => {
    expect(deleterFor(BUCKET_TARGET)).toBe(deleter);
    expect(BUCKET_TARGET.id).toBe(BUCKET);
    expect(deleter.data.kind).toBe('not-deleted');
    expect(deleter.iam.tagCondition).toBe(false);
  });

  it('describes the bucket with its tags, in the recorded region', async () => {
    server.on(`HEAD ${PATH}`, () => ({ status: 200, headers: { 'x-amz-bucket-region': 'eu-west-1' } }));
    server.on(`GET ${PATH}`, (request) =>
      'tagging' in request.query
        ? {
            body: `<?xml version="1.0" encoding="UTF-8"?><Tagging xmlns="${NS}"><TagSet><Tag><Key>poc</Key><Value>checkout</Value></Tag><Tag><Key>owner</Key><Value>dana@example.com</Value></Tag></TagSet></Tagging>`,
          }
        : s3Error(400, 'InvalidRequest', 'unexpected'),
    );
    const clients = clientPool();
    expect(await deleter.describe(clients, BUCKET_TARGET)).toEqual({
      status: 'present',
      tags: { poc: 'checkout', owner: 'dana@example.com' },
    });
    expect(server.requests.map((request) => request.operation)).toEqual([`HEAD ${PATH}`, `GET ${PATH}`]);
    expect(signedRegion(server.requests[0]?.headers.authorization)).toBe('eu-west-1');
    clients.destroy();
  });

  it('takes a bucket without tags (NoSuchTagSet) as present, and a missing one as gone', async () => {
    server.on(`HEAD ${PATH}`, (_request, index) => (index === 0 ? { status: 200 } : { status: 404 }));
    server.on(`GET ${PATH}`, () => s3Error(404, 'NoSuchTagSet', 'The TagSet does not exist'));
    const clients = clientPool();
    expect(await deleter.describe(clients, BUCKET_TARGET)).toEqual({ status: 'present', tags: {} });
    expect(await deleter.describe(clients, BUCKET_TARGET)).toEqual({ status: 'gone', tags: {} });
    clients.destroy();
  });

  it('empties every version and delete marker in batches of 1,000, re-listing until empty, then deletes the bucket', async () => {
    const bucket = new Bucket(2300, 400);
    server
      .on(`GET ${PATH}`, (request) => bucket.list(request))
      .on(`POST ${PATH}`, (request) => bucket.delete(request))
      .on(`DELETE ${PATH}`, () =>
        bucket.entries.length > 0 ? s3Error(409, 'BucketNotEmpty', 'not empty') : { status: 204 },
      );
    const meter = new ApiMeter();
    const clients = clientPool(meter);
    expect(await deleter.delete(clients, BUCKET_TARGET, DISCARD)).toEqual({});
    expect(bucket.entries).toEqual([]);
    expect(bucket.batches).toEqual([1000, 1000, 700]);
    const lists = server.calls(`GET ${PATH}`);
    expect(lists.every((call) => 'versions' in call.query && call.query['max-keys'] === '1000')).toBe(true);
    expect(server.calls(`POST ${PATH}`).every((call) => 'delete' in call.query)).toBe(true);
    expect(server.calls(`POST ${PATH}`)[0]?.text).toContain('<Quiet>true</Quiet>');
    expect(server.calls(`POST ${PATH}`)[0]?.text).toMatch(
      /<Object><Key>k0<\/Key><VersionId>v0<\/VersionId><\/Object>/,
    );
    // The bucket goes last, once the listing came back empty.
    expect(server.requests.map((request) => request.operation).slice(-2)).toEqual([
      `GET ${PATH}`,
      `DELETE ${PATH}`,
    ]);
    expect(meter.counts()).toEqual({
      's3:DeleteBucket': 1,
      's3:DeleteObjects': 3,
      's3:ListObjectVersions': 4,
    });
    clients.destroy();
  });

  it('stops with what S3 refused to delete, and maps bucket errors to the executor codes', async () => {
    const bucket = new Bucket(3, 0);
    server
      .on(`GET ${PATH}`, (request) => bucket.list(request))
      .on(`POST ${PATH}`, () => ({
        body: `<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="${NS}"><Error><Key>k1</Key><VersionId>v1</VersionId><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>`,
      }));
    const clients = clientPool();
    await expect(deleter.delete(clients, BUCKET_TARGET, DISCARD)).rejects.toThrow(
      /could not empty bucket orders-data: 1 of 3 objects not deleted \(k1: AccessDenied Access Denied\)/,
    );
    expect(server.calls(`DELETE ${PATH}`)).toHaveLength(0);

    server.reset();
    server
      .on(`GET ${PATH}`, () => new Bucket(0, 0).list({ query: {} }))
      .on(`DELETE ${PATH}`, (_request, index) =>
        index === 0
          ? s3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty')
          : s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist'),
      );
    await expectCode(deleter, 'dependency', deleter.delete(clients, BUCKET_TARGET, DISCARD));
    await expectCode(deleter, 'notFound', deleter.delete(clients, BUCKET_TARGET, DISCARD));
    server.on(`GET ${PATH}`, () => s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist'));
    expect(deleter.notFound).toContain((await failure(deleter.delete(clients, BUCKET_TARGET, DISCARD))).code);
    clients.destroy();
  });
});
