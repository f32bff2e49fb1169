import { APIGatewayClient, DeleteRestApiCommand, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, DeleteApiCommand, GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import type { AwsClientPool } from '../aws-client-pool.js';
import type { Deleter, LiveResource } from '../deleter.js';
import { isAwsError } from './aws-error.js';

const NOT_FOUND = ['NotFoundException'];

/**
 * The API id of an API Gateway target: its ARN (arn:aws:apigateway:region::/restapis/a1b2c3) has no
 * resource type part, so the target's id is the whole path "/restapis/a1b2c3" (or "/apis/a1b2c3").
 */
export function apiIdOf(id: string): string {
  const apiId = /^\/(?:restapis|apis)\/([^/]+)$/.exec(id)?.[1];
  if (!apiId) throw new Error(`not an API Gateway API: ${id}`);
  return apiId;
}

function present(tags: Record<string, string> | undefined, created: Date | undefined): LiveResource {
  return {
    status: 'present',
    tags: { ...tags },
    ...(created ? { state: { createdAt: created.toISOString() } } : {}),
  };
}

/*
 * tagCondition: apigateway:DELETE on the RestApi and Api resource types takes aws:ResourceTag/${TagKey}
 * (Service Authorization Reference, "Actions, resources, and condition keys for Amazon API Gateway
 * Management", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html).
 */

/** REST APIs (API Gateway v1). Front doors go first: they invoke functions and state machines. */
export const restApiDeleter: Deleter = {
  type: 'apigateway:restapis',
  label: 'API Gateway REST API',
  order: 20,
  data: { kind: 'none' },
  iam: { describe: ['apigateway:GET'], delete: ['apigateway:DELETE'], tagCondition: true },
  notFound: NOT_FOUND,
  // DeleteRestApi allows one call every 30 seconds per account, and a conflicting change may be under
  // way: both are "not yet", retried on a later pass once the SDK's own retries are spent.
  dependency: ['TooManyRequestsException', 'ConflictException'],
  async describe(clients, target) {
    const apigateway = clients.get('apigateway', target.region, (config) => new APIGatewayClient(config));
    try {
      const api = await apigateway.send(new GetRestApiCommand({ restApiId: apiIdOf(target.id) }));
      return present(api.tags, api.createdDate);
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const apigateway = clients.get('apigateway', target.region, (config) => new APIGatewayClient(config));
    await apigateway.send(new DeleteRestApiCommand({ restApiId: apiIdOf(target.id) }));
    return {};
  },
};

function httpApiClient(clients: AwsClientPool, region: string): ApiGatewayV2Client {
  return clients.get('apigateway', region, (config) => new ApiGatewayV2Client(config), 'v2');
}

/** HTTP and WebSocket APIs (API Gateway v2). */
export const httpApiDeleter: Deleter = {
  type: 'apigateway:apis',
  label: 'API Gateway HTTP API',
  order: 20,
  data: { kind: 'none' },
  iam: { describe: ['apigateway:GET'], delete: ['apigateway:DELETE'], tagCondition: true },
  notFound: NOT_FOUND,
  dependency: ['TooManyRequestsException', 'ConflictException'],
  async describe(clients, target) {
    // The same IAM prefix as REST APIs, but another SDK client: pooled as its own variant.
    const apigateway = httpApiClient(clients, target.region);
    try {
      const api = await apigateway.send(new GetApiCommand({ ApiId: apiIdOf(target.id) }));
      return present(api.Tags, api.CreatedDate);
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target) {
    const apigateway = httpApiClient(clients, target.region);
    await apigateway.send(new DeleteApiCommand({ ApiId: apiIdOf(target.id) }));
    return {};
  },
};
