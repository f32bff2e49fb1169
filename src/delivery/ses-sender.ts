import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { ApiMeter } from '../aws/api-meter.js';
import { type AwsClientOptions, awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Sends HTML email (with a plain-text part) through Amazon SES v2; SNS's email protocol is text only. */
export class SesSender {
  private readonly client: SESv2Client;

  constructor(options: AwsClientOptions & { meter: ApiMeter }) {
    this.client = meterClient(new SESv2Client(awsClientConfig(options)), 'ses', options.meter);
  }

  async send(message: EmailMessage): Promise<string> {
    const output = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: message.from,
        Destination: { ToAddresses: message.to },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              Html: { Data: message.html, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return output.MessageId ?? '';
  }

  destroy(): void {
    this.client.destroy();
  }
}
