import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * The item calls the state stores make (src/state/dynamodb-*.ts): gets, puts (conditional ones
 * included), deletes, queries and batches, on the table itself. No scans, no index, no table admin.
 */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
] as const;

export function allowStateTable(role: IRole, table: ITableV2): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...STATE_TABLE_ACTIONS], resources: [table.tableArn] }),
  );
}
