/** The value the stack puts in the Slack webhook secret until someone stores a real webhook URL. */
export const SLACK_WEBHOOK_PLACEHOLDER = 'none';

export class SlackWebhookSecretError extends Error {
  override readonly name = 'SlackWebhookSecretError';
}

/**
 * The Slack incoming webhook from its secret: an https URL, or undefined while the secret still holds
 * the placeholder (Slack is not used). Anything else is a mistake worth failing the run for, rather
 * than a digest silently never reaching Slack; the message never echoes the value.
 */
export function slackWebhookFromSecret(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === SLACK_WEBHOOK_PLACEHOLDER) return undefined;
  if (!trimmed.startsWith('https://')) {
    throw new SlackWebhookSecretError(
      `the Slack webhook secret must hold an https:// incoming webhook URL, or "${SLACK_WEBHOOK_PLACEHOLDER}" to send nothing to Slack`,
    );
  }
  return trimmed;
}
