/**
 * An SNS topic with an SQS queue subscribed to it, on an emulator (fauxqs): what a test reads back to
 * see what was published.
 */
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface TopicInbox {
  topicArn: string;
  queueUrl: string;
}

export async function topicWithInbox(
  clients: { sns: SNSClient; sqs: SQSClient },
  names: { topic: string; queue: string },
): Promise<TopicInbox> {
  const { sns, sqs } = clients;
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: names.topic }))).TopicArn as string;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: names.queue }))).QueueUrl as string;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
  );
  return { topicArn, queueUrl };
}
