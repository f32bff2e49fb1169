import {
  type BackupStatus,
  CreateBackupCommand,
  type DynamoDBClient,
  ListBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { nextPageToken } from '../../inventory/page-token.js';

/** An on-demand backup of one table, as the final copy of its data. */
export interface TableBackup {
  table: string;
  arn: string;
  status: BackupStatus | undefined;
}

/**
 * The on-demand backup named `name` of `table`: the one an earlier call started (a crash, an earlier
 * pass) when ListBackups shows it, else a new one. Never two: backup names are not unique in DynamoDB,
 * so the lookup by table and name is what makes this idempotent.
 */
export async function ensureTableBackup(
  dynamodb: DynamoDBClient,
  table: string,
  name: string,
): Promise<TableBackup> {
  const seen = new Set<string>();
  let start: string | undefined;
  do {
    const page = await dynamodb.send(
      new ListBackupsCommand({
        TableName: table,
        BackupType: 'USER',
        ...(start ? { ExclusiveStartBackupArn: start } : {}),
      }),
    );
    const found = (page.BackupSummaries ?? []).find(
      (summary) => summary.BackupName === name && summary.BackupStatus !== 'DELETED' && summary.BackupArn,
    );
    if (found?.BackupArn) return { table, arn: found.BackupArn, status: found.BackupStatus };
    start = nextPageToken(page.LastEvaluatedBackupArn, seen, 'dynamodb:ListBackups');
  } while (start);
  const { BackupDetails } = await dynamodb.send(
    new CreateBackupCommand({ TableName: table, BackupName: name }),
  );
  if (!BackupDetails?.BackupArn) throw new Error(`CreateBackup of table ${table} returned no backup`);
  return { table, arn: BackupDetails.BackupArn, status: BackupDetails.BackupStatus };
}

/** What the backups still being taken are, in words; undefined once all are AVAILABLE. */
export function pendingBackups(backups: readonly TableBackup[]): string | undefined {
  const pending = backups.filter((backup) => backup.status !== 'AVAILABLE');
  if (pending.length === 0) return undefined;
  return pending
    .map((backup) => `backup ${backup.arn} of table ${backup.table} (${backup.status ?? 'CREATING'})`)
    .join(', ');
}
