import {
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListTagsForResourceCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';

const NOT_FOUND = ['StateMachineDoesNotExist', 'ResourceNotFound'];

/**
 * Step Functions state machines: free while idle. Deletion marks the machine DELETING; running
 * executions are stopped by AWS. Deleted after the APIs that start them, before the functions they
 * call.
 *
 * tagCondition: states:DeleteStateMachine on the `statemachine` resource type lists
 * aws:ResourceTag/${TagKey} (Service Authorization Reference, "Actions, resources, and condition keys
 * for AWS Step Functions", https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html).
 */
export const stateMachineDeleter: Deleter = {
  type: 'states:stateMachine',
  label: 'Step Functions state machine',
  order: 20,
  data: { kind: 'none' },
  iam: {
    describe: ['states:DescribeStateMachine', 'states:ListTagsForResource'],
    delete: ['states:DeleteStateMachine'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  dependency: [],
  async describe(clients, target) {
    const sfn = clients.get('states', target.region, (config) => new SFNClient(config));
    try {
      const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: target.arn }));
      const { tags = [] } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: target.arn }));
      const record: Record<string, string> = {};
      for (const tag of tags) if (tag.key !== undefined) record[tag.key] = tag.value ?? '';
      return {
        status: machine.status === 'DELETING' ? 'deleting' : 'present',
        tags: record,
        ...(machine.creationDate ? { state: { createdAt: machine.creationDate.toISOString() } } : {}),
      };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const sfn = clients.get('states', target.region, (config) => new SFNClient(config));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: target.arn }));
    return {};
  },
};
