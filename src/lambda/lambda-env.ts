/** A deployment that left out a setting a function needs: the stack and the code disagree. */
export class LambdaConfigError extends Error {
  override readonly name = 'LambdaConfigError';
}

/** The environment variables the stacks set on the functions; one name each, shared with infra/. */
export const LAMBDA_ENV = {
  tableName: 'POCKETWATCH_TABLE_NAME',
  alertTopicArn: 'POCKETWATCH_ALERT_TOPIC_ARN',
  digestTopicArn: 'POCKETWATCH_DIGEST_TOPIC_ARN',
  approvalKeysSecretArn: 'POCKETWATCH_APPROVAL_KEYS_SECRET_ARN',
  slackWebhookSecretArn: 'POCKETWATCH_SLACK_WEBHOOK_SECRET_ARN',
  approvalUrl: 'POCKETWATCH_APPROVAL_URL',
  reportUrl: 'POCKETWATCH_REPORT_URL',
  teardownQueueUrl: 'POCKETWATCH_TEARDOWN_QUEUE_URL',
  policySet: 'POCKETWATCH_POLICY_SET',
  memberRoleName: 'POCKETWATCH_MEMBER_ROLE_NAME',
} as const;

export type LambdaEnvName = keyof typeof LAMBDA_ENV;

/** The value of a variable the function cannot work without. */
export function requiredEnv(name: LambdaEnvName, env: NodeJS.ProcessEnv = process.env): string {
  const variable = LAMBDA_ENV[name];
  const value = env[variable]?.trim();
  if (!value)
    throw new LambdaConfigError(`${variable} is not set; redeploy the stack that defines this function`);
  return value;
}

/** The value of a variable that switches a feature on, if set. */
export function optionalEnv(name: LambdaEnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[LAMBDA_ENV[name]]?.trim() || undefined;
}
