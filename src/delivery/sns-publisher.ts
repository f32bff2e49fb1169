import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { ApiMeter } from '../aws/api-meter.js';
import { type AwsClientConfig, type AwsClientOptions, awsClientConfig } from '../aws/aws-clients.js';
import { meterClient } from '../aws/metered-client.js';

export interface SnsPublisherOptions extends AwsClientOptions {
  /** Every Publish (retries included) is counted here as `sns:Publish`. */
  meter: ApiMeter;
}

/**
 * Publishes to SNS with the project's standard client settings: default credential chain, standard
 * retry mode (throttling and server errors are retried with backoff), and a metered client whose
 * final errors are AwsCallErrors naming `sns:Publish`. A topic can only be published to in its own
 * region, so the client's region is the one in the topic ARN (else the configured or SDK region).
 */
export class SnsPublisher {
  private readonly config: AwsClientConfig;
  private readonly clients = new Map<string, SNSClient>();

  constructor(private readonly options: SnsPublisherOptions) {
    // Resolved now, so a bad POCKETWATCH_AWS_MAX_ATTEMPTS fails before anything is claimed.
    this.config = awsClientConfig(options);
  }

  /** Publishes one message; returns the MessageId SNS gave it. */
  async publish(input: PublishCommandInput): Promise<string> {
    const region = arnRegion(input.TopicArn ?? input.TargetArn) ?? this.config.region;
    const output = await this.client(region).send(new PublishCommand(input));
    if (!output.MessageId) throw new Error('sns:Publish returned no MessageId');
    return output.MessageId;
  }

  /** Closes the clients' sockets. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private client(region: string | undefined): SNSClient {
    const key = region ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = meterClient(
        new SNSClient({ ...this.config, ...(region ? { region } : {}) }),
        'sns',
        this.options.meter,
      );
      this.clients.set(key, client);
    }
    return client;
  }
}

/** "eu-west-1" from "arn:aws:sns:eu-west-1:123456789012:alerts"; undefined for anything else. */
export function arnRegion(arn: string | undefined): string | undefined {
  const parts = arn?.split(':') ?? [];
  return parts.length >= 6 && parts[0] === 'arn' && parts[3] ? parts[3] : undefined;
}
