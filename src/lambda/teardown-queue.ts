import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ApiMeter } from '../aws/api-meter.js';
import { awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';
import type { TeardownMessage } from './teardown-message.js';

/** The teardown queue the approval endpoint, the daily run and the worker itself send to. */
export class TeardownQueue {
  private readonly sqs: SQSClient;

  constructor(
    private readonly url: string,
    meter: ApiMeter,
  ) {
    // The queue is in this function's region: the regional endpoint (or an AWS_ENDPOINT_URL_SQS
    // override, as with a local emulator) serves it, whatever host its URL names.
    this.sqs = meterClient(
      new SQSClient({ ...awsClientConfig(), useQueueUrlAsEndpoint: false }),
      'sqs',
      meter,
    );
  }

  async send(message: TeardownMessage, delaySeconds?: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.url,
        MessageBody: JSON.stringify(message),
        ...(delaySeconds !== undefined ? { DelaySeconds: delaySeconds } : {}),
      }),
    );
  }
}
