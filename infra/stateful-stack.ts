import { CfnOutput, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { SLACK_WEBHOOK_PLACEHOLDER } from '../src/lambda/slack-webhook-secret.js';
import type { ResolvedDeployment } from '../src/policy/deployment-settings.js';
import { acknowledge } from './nag.js';

export interface StatefulStackProps extends StackProps {
  deployment: ResolvedDeployment;
}

/**
 * What outlives any deployment of the code, kept apart so the stateless stack can be destroyed and
 * redeployed freely: the state table (delivery ledger, cost cache, recommendations and their audit
 * trail), the two secrets people fill in by hand, and the topics people and chat integrations
 * subscribe to (a new topic would silently lose every confirmed subscription and Chatbot setup).
 * Table and secrets are retained when the stack is deleted.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly approvalKeys: Secret;
  readonly slackWebhook: Secret;
  readonly alertTopic: Topic;
  readonly digestTopic: Topic;
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { deployment } = props;

    // The design is in src/state/dynamodb-state-store.ts: one table, pk/sk strings, TTL on expiresAt.
    this.table = new TableV2(this, 'StateTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.approvalKeys = new Secret(this, 'ApprovalSigningKeys', {
      description:
        'pocketwatch approval link signing keys. Generated as one key; to rotate, store {"current":{"id":"…","secret":"<base64, 32+ bytes>"},"previous":[<the old current>]} and drop the old key once its links have expired (7 days).',
      // 64 letters and digits: valid base64 of 48 bytes, at least the 32 an HMAC-SHA256 key needs.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ id: 'initial' }),
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.approvalKeys,
      'AwsSolutions-SMG4',
      'Rotation must keep the previous key verifying until the links it signed expire (a keyring with current and previous keys); Secrets Manager rotation replaces the value outright, so rotation is done by hand as the secret description says.',
    );

    this.slackWebhook = new Secret(this, 'SlackWebhook', {
      description: `pocketwatch Slack incoming webhook URL for the daily digest; "${SLACK_WEBHOOK_PLACEHOLDER}" sends nothing to Slack.`,
      // Not a secret: a placeholder until someone stores the webhook Slack issued.
      secretStringValue: SecretValue.unsafePlainText(SLACK_WEBHOOK_PLACEHOLDER),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.slackWebhook,
      'AwsSolutions-SMG4',
      'Slack issues the webhook URL; AWS cannot rotate it. Replace the value when Slack revokes or reissues the webhook.',
    );

    // SSE with the AWS managed key: free, and the functions publish through SNS's own key grant.
    const snsKey = Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
    this.alertTopic = new Topic(this, 'AlertTopic', {
      displayName: 'pocketwatch alerts',
      masterKey: snsKey,
      enforceSSL: true,
    });
    this.digestTopic = new Topic(this, 'DigestTopic', {
      displayName: 'pocketwatch digest',
      masterKey: snsKey,
      enforceSSL: true,
    });
    // CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key.
    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'pocketwatch alarms', enforceSSL: true });
    acknowledge(
      this.alarmTopic,
      'AwsSolutions-SNS2',
      'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, and a customer managed key would cost $1 a month, more than the rest of the service at 10 PoCs. The topic carries alarm state changes only (names and thresholds, no cost data); TLS is enforced.',
    );
    for (const address of deployment.alertEmails)
      this.alertTopic.addSubscription(new EmailSubscription(address));
    for (const address of deployment.digestEmails)
      this.digestTopic.addSubscription(new EmailSubscription(address));
    for (const address of deployment.alarmEmails)
      this.alarmTopic.addSubscription(new EmailSubscription(address));

    new CfnOutput(this, 'StateTableName', { value: this.table.tableName });
    new CfnOutput(this, 'ApprovalSigningKeysSecret', { value: this.approvalKeys.secretArn });
    new CfnOutput(this, 'SlackWebhookSecret', { value: this.slackWebhook.secretArn });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alertTopic.topicArn });
    new CfnOutput(this, 'DigestTopicArn', { value: this.digestTopic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}
