import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { endpointOverride } from '../../aws/aws-clients.js';
import { tagRecord } from '../../inventory/tag-record.js';
import type { AwsClientPool } from '../aws-client-pool.js';
import type { Deleter } from '../deleter.js';
import { awsErrorCode, isAwsError } from './aws-error.js';

// HeadBucket has no body, so a missing bucket is a bare 404 ("NotFound"); other calls say NoSuchBucket.
const NOT_FOUND = ['NoSuchBucket', 'NotFound'];
/** DeleteObjects takes at most 1,000 keys, and ListObjectVersions returns at most 1,000. */
const BATCH = 1000;

/** The pool's S3 client (the stack deleter uses it too, so both get the same addressing). */
export function s3Client(clients: AwsClientPool, region: string): S3Client {
  // Local endpoints (tests, LocalStack) have no bucket subdomains: path-style addressing there only.
  const pathStyle = endpointOverride('S3') !== undefined;
  return clients.get(
    's3',
    region,
    (config) => new S3Client({ ...config, ...(pathStyle ? { forcePathStyle: true } : {}) }),
  );
}

/**
 * S3 general purpose buckets (the registry key is the Tagging API type "s3"; the ARN arn:aws:s3:::name
 * has no region, so the recorded one is used). Objects are the data, and S3 has no final copy, so a
 * bucket is kept while the policy keeps data (the executor decides that from `data`). Deleting it
 * first empties it of every object version and delete marker, like aws-nuke, re-listing until nothing
 * is left, then deletes the bucket. Deleted last: what writes to it goes first.
 *
 * tagCondition: false. s3:DeleteBucket lists aws:ResourceTag/${TagKey}, but bucket tags only count once
 * ABAC is enabled on each bucket (off by default), and emptying it takes s3:DeleteObject and
 * s3:DeleteObjectVersion on the `object` resource type, which bucket tags do not condition (Service
 * Authorization Reference, "Actions, resources, and condition keys for Amazon S3",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html; S3 user guide,
 * "Enabling ABAC in general purpose buckets"). The teardown role scopes it by bucket ARN instead.
 */
export const s3BucketDeleter: Deleter = {
  type: 's3',
  label: 'S3 bucket',
  order: 60,
  data: {
    kind: 'not-deleted',
    why: 'S3 keeps no copy of a bucket: it is deleted only when the policy deletes data',
  },
  iam: {
    // HeadBucket is authorized by s3:ListBucket.
    describe: ['s3:ListBucket', 's3:GetBucketTagging'],
    delete: ['s3:ListBucketVersions', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteBucket'],
    tagCondition: false,
  },
  notFound: NOT_FOUND,
  // Something wrote to it while it was being emptied: emptied again on a later pass.
  dependency: ['BucketNotEmpty'],
  async describe(clients, target) {
    const s3 = s3Client(clients, target.region);
    try {
      await s3.send(new HeadBucketCommand({ Bucket: target.id }));
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
    try {
      const { TagSet } = await s3.send(new GetBucketTaggingCommand({ Bucket: target.id }));
      return { status: 'present', tags: tagRecord(TagSet) };
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchTagSet') return { status: 'present', tags: {} };
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const s3 = s3Client(clients, target.region);
    for (;;) {
      // Always the first page: what was just deleted is no longer listed.
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: target.id, MaxKeys: BATCH }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((entry) => entry.Key !== undefined)
        .slice(0, BATCH)
        .map((entry) => ({
          Key: entry.Key as string,
          ...(entry.VersionId ? { VersionId: entry.VersionId } : {}),
        }));
      if (objects.length === 0) break;
      const { Errors = [] } = await s3.send(
        new DeleteObjectsCommand({ Bucket: target.id, Delete: { Objects: objects, Quiet: true } }),
      );
      if (Errors.length > 0) {
        const [first] = Errors;
        throw new Error(
          `could not empty bucket ${target.id}: ${Errors.length} of ${objects.length} objects not deleted (${first?.Key}: ${first?.Code} ${first?.Message ?? ''})`.trim(),
        );
      }
    }
    await s3.send(new DeleteBucketCommand({ Bucket: target.id }));
    return {};
  },
};
