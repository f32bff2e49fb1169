import { DeleteFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';

const NOT_FOUND = ['ResourceNotFoundException'];

/**
 * Lambda functions: free while idle, but clutter a PoC account and keep their triggers and log
 * groups alive. Deleted after what invokes them (API Gateway, Step Functions).
 *
 * tagCondition: lambda:DeleteFunction on the `function` resource type lists aws:ResourceTag/${TagKey}
 * (Service Authorization Reference, "Actions, resources, and condition keys for AWS Lambda",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html).
 */
export const lambdaFunctionDeleter: Deleter = {
  type: 'lambda:function',
  label: 'Lambda function',
  order: 30,
  data: { kind: 'none' },
  iam: {
    // GetFunction returns Tags only to callers also allowed lambda:ListTags (Lambda API reference).
    describe: ['lambda:GetFunction', 'lambda:ListTags'],
    delete: ['lambda:DeleteFunction'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  // An update or another deletion is in progress: retried on a later pass.
  dependency: ['ResourceConflictException'],
  async describe(clients, target) {
    const lambda = clients.get('lambda', target.region, (config) => new LambdaClient(config));
    try {
      const { Configuration, Tags = {} } = await lambda.send(
        new GetFunctionCommand({ FunctionName: target.id }),
      );
      return {
        status: Configuration?.State === 'Deleting' ? 'deleting' : 'present',
        tags: { ...Tags },
      };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const lambda = clients.get('lambda', target.region, (config) => new LambdaClient(config));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: target.id }));
    return {};
  },
};
