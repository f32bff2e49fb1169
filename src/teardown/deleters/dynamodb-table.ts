import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { nextPageToken } from '../../inventory/page-token.js';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';
import { ensureTableBackup, pendingBackups } from './dynamodb-backup.js';

const NOT_FOUND = ['ResourceNotFoundException', 'TableNotFoundException'];

/**
 * DynamoDB tables: provisioned tables bill every hour, on-demand ones for storage. With data kept, an
 * on-demand backup named after the teardown is taken first, and the table is deleted only once the
 * backup is AVAILABLE.
 *
 * tagCondition: dynamodb:CreateBackup and dynamodb:DeleteTable on the `table` resource type list
 * aws:ResourceTag/${TagKey} (Service Authorization Reference, "Actions, resources, and condition keys
 * for Amazon DynamoDB", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html;
 * DynamoDB's ABAC for tables and indexes).
 */
export const dynamodbTableDeleter: Deleter = {
  type: 'dynamodb:table',
  label: 'DynamoDB table',
  order: 40,
  data: { kind: 'final-copy', copy: 'on-demand backup' },
  iam: {
    describe: ['dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource'],
    delete: ['dynamodb:ListBackups', 'dynamodb:CreateBackup', 'dynamodb:DeleteTable'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  // Still being created or updated, or a backup is being taken: deleted on a later pass.
  dependency: ['ResourceInUseException'],
  async describe(clients, target) {
    const dynamodb = clients.get('dynamodb', target.region, (config) => new DynamoDBClient(config));
    try {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: target.id }));
      if (!Table) return { status: 'gone', tags: {} };
      const tags: Record<string, string> = {};
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        const page = await dynamodb.send(
          new ListTagsOfResourceCommand({
            ResourceArn: Table.TableArn ?? target.arn,
            ...(token ? { NextToken: token } : {}),
          }),
        );
        Object.assign(tags, tagRecord(page.Tags));
        token = nextPageToken(page.NextToken, seen, 'dynamodb:ListTagsOfResource');
      } while (token);
      return {
        status: Table.TableStatus === 'DELETING' ? 'deleting' : 'present',
        tags,
        ...(Table.DeletionProtectionEnabled ? { protection: 'deletion protection is on' } : {}),
        ...(Table.CreationDateTime ? { state: { createdAt: Table.CreationDateTime.toISOString() } } : {}),
      };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target, options) {
    const dynamodb = clients.get('dynamodb', target.region, (config) => new DynamoDBClient(config));
    let kept: string | undefined;
    if (options.keepData) {
      const backup = await ensureTableBackup(dynamodb, target.id, options.finalCopyName);
      kept = backup.arn;
      const waitingFor = pendingBackups([backup]);
      if (waitingFor) return { kept, waitingFor };
    }
    await dynamodb.send(new DeleteTableCommand({ TableName: target.id }));
    return kept ? { kept } : {};
  },
};
