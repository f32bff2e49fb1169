import { MAX_ATTEMPTS_ENV } from './aws-clients.js';

/** What was being called, for the message. */
export interface AwsCallContext {
  /** The IAM action, e.g. "ce:GetCostAndUsage". */
  operation: string;
  /** Where the call went; named in network errors. */
  endpoint?: string;
}

/**
 * A failed AWS call, explained in one sentence that says what to do. The SDK error stays available
 * as `cause` for debugging, but the message never carries a stack trace or raw SDK internals.
 */
export class AwsCallError extends Error {
  readonly operation: string;
  /** The AWS error code or Node error code ("AccessDeniedException", "ECONNREFUSED"). */
  readonly code: string;
  /** Attempts made, retries included, when the SDK reported them. */
  readonly attempts: number | undefined;

  constructor(
    message: string,
    details: { operation: string; code: string; attempts?: number; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.name = 'AwsCallError';
    this.operation = details.operation;
    this.code = details.code;
    this.attempts = details.attempts;
  }
}

/** Wraps any error thrown by an SDK call (an AwsCallError is returned as is). */
export function toAwsCallError(error: unknown, context: AwsCallContext): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const facts = errorFacts(error);
  return new AwsCallError(describeAwsError(error, context), {
    operation: context.operation,
    code: facts.code,
    attempts: facts.attempts,
    cause: error,
  });
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
]);

// Same list as the SDK's standard retry classification, so "throttled" here means the SDK backed off.
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);

const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'AuthFailure',
]);

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
]);

/** Cost Explorer's own errors, in plain words: what happened, and what to do. */
const COST_EXPLORER: Record<string, [string, string]> = {
  DataUnavailableException: [
    'Cost Explorer has no data for the requested period yet',
    'new accounts and newly enabled Cost Explorer take up to 24 hours',
  ],
  BillExpirationException: [
    'the requested period is older than Cost Explorer keeps',
    'it serves 13 months plus the current month',
  ],
  InvalidNextTokenException: [
    'Cost Explorer rejected the page token',
    'it expired or the query changed between pages; run again',
  ],
  RequestChangedException: ['the request changed between pages of one Cost Explorer query', 'run again'],
};

const SERVICES: Record<string, string> = {
  ce: 'Cost Explorer',
  tag: 'the Resource Groups Tagging API',
  cloudwatch: 'CloudWatch',
  ec2: 'EC2',
  sns: 'SNS',
  sts: 'STS',
};

/** The SDK's own throttling classification (error code, or HTTP 429): AWS does not bill such attempts. */
export function isThrottlingError(error: unknown): boolean {
  const { code, status } = classifiedFacts(error);
  return THROTTLING.has(code) || status === 429;
}

/** Denied by IAM, an SCP or a permissions boundary. */
export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED.has(classifiedFacts(error).code);
}

/**
 * What a region that is not enabled for the account (or a service without an endpoint there)
 * answers: EC2's OptInRequired, a credentials error from a region the credentials do not reach, or
 * a host name that does not resolve. Only meaningful for a call whose credentials worked elsewhere.
 */
const REGION_UNAVAILABLE = new Set([
  'OptInRequired',
  'AuthFailure',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isRegionUnavailable(error: unknown): boolean {
  return REGION_UNAVAILABLE.has(classifiedFacts(error).code);
}

/**
 * The credentials themselves are unusable (none found, expired, a role that cannot be assumed): every
 * call of the run would fail the same way, so this fails the run instead of one part of it.
 */
const CREDENTIALS_FAILURE = new Set([
  ...EXPIRED_CREDENTIALS,
  'CredentialsProviderError',
  'TokenProviderError',
  // src/lambda/assumed-role.ts: the member role of an organisation scan.
  'AssumeRoleError',
]);

export function isCredentialsFailure(error: unknown): boolean {
  return CREDENTIALS_FAILURE.has(classifiedFacts(error).code);
}

/**
 * A failure that says the operation is out of reach rather than that one request was wrong:
 * throttling, server and network errors, denials. Only these open a circuit breaker.
 */
export function isOutage(error: unknown): boolean {
  const { code, status } = classifiedFacts(error);
  return (
    THROTTLING.has(code) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    NETWORK.has(code) ||
    ACCESS_DENIED.has(code) ||
    REGION_UNAVAILABLE.has(code)
  );
}

/** One sentence saying what went wrong with an AWS call and how to fix it. */
export function describeAwsError(error: unknown, context: AwsCallContext): string {
  const { operation } = context;
  const service = SERVICES[operation.split(':')[0] ?? ''] ?? 'AWS';
  const facts = errorFacts(error);
  const { code, message, attempts, status } = facts;
  const detail = message ? `${code}: ${message}` : code;
  const after = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';

  if (ACCESS_DENIED.has(code)) {
    if (/not enabled for cost explorer/i.test(message)) {
      return 'Cost Explorer is not enabled for this account: open Cost Explorer once in the Billing and Cost Management console to enable it (data appears within 24 hours)';
    }
    return `missing IAM permission ${operation} (${detail}); allow ${operation} for the identity pocketwatch runs as`;
  }
  if (THROTTLING.has(code) || status === 429) {
    return `${service} throttled ${operation} (${code}) and it still failed${after || ' after retrying'}; wait a few minutes and run again, or raise ${MAX_ATTEMPTS_ENV}`;
  }
  if (EXPIRED_CREDENTIALS.has(code) || /token.*expired|session.*expired/i.test(message)) {
    return `the AWS credentials have expired (${detail}); refresh them (\`aws sso login\`, or new temporary keys) and run again`;
  }
  if (INVALID_CREDENTIALS.has(code)) {
    return `AWS rejected the credentials for ${operation} (${detail}); check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, and the machine's clock`;
  }
  if (code === 'CredentialsProviderError' || code === 'TokenProviderError') {
    return `no usable AWS credentials (${message || code}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run \`aws configure\` or \`aws sso login\``;
  }
  if (/^Region is missing/i.test(message)) {
    return 'no AWS region configured; set AWS_REGION or the profile\'s "region"';
  }
  const plain = COST_EXPLORER[code];
  if (plain) return `${operation} failed: ${plain[0]} (${code}); ${plain[1]}`;
  if (NETWORK.has(code)) {
    const endpoint = context.endpoint ?? facts.address ?? 'the AWS endpoint';
    return `could not reach ${endpoint} for ${operation} (${detail})${after}; check the network, proxy and any AWS_ENDPOINT_URL setting`;
  }
  if (code === 'ValidationException')
    return `${service} rejected ${operation} as invalid (${message || code})`;
  if (status !== undefined && status >= 500) {
    return `${service} failed with a server error on ${operation} (${detail}, HTTP ${status})${after}; try again later`;
  }
  return `${operation} failed (${detail})`;
}

interface ErrorFacts {
  code: string;
  message: string;
  attempts?: number;
  status?: number;
  /** host:port of a failed connection. */
  address?: string;
}

/** The facts of an SDK error, or of the one an AwsCallError explains (its code kept). */
function classifiedFacts(error: unknown): ErrorFacts {
  if (error instanceof AwsCallError) return { ...errorFacts(error.cause), code: error.code };
  return errorFacts(error);
}

/** The fields SDK and Node errors carry, read defensively: anything can be thrown. */
function errorFacts(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null) {
    return { code: 'Error', message: oneLine(String(error)) };
  }
  const record = error as Record<string, unknown>;
  const metadata = (record.$metadata ?? {}) as { attempts?: unknown; httpStatusCode?: unknown };
  // Node network errors carry `code`; SDK service errors carry their AWS code as `name`.
  const nodeCode =
    typeof record.code === 'string' && /^E[A-Z_]+$/.test(record.code) ? record.code : undefined;
  const name = typeof record.name === 'string' && record.name !== 'Error' ? record.name : undefined;
  const awsCode = typeof record.Code === 'string' ? record.Code : undefined;
  const facts: ErrorFacts = {
    code: nodeCode ?? awsCode ?? name ?? 'Error',
    message: oneLine(typeof record.message === 'string' ? record.message : ''),
  };
  if (typeof metadata.attempts === 'number') facts.attempts = metadata.attempts;
  if (typeof metadata.httpStatusCode === 'number') facts.status = metadata.httpStatusCode;
  const host = typeof record.hostname === 'string' ? record.hostname : record.address;
  if (typeof host === 'string') {
    facts.address = typeof record.port === 'number' ? `${host}:${record.port}` : host;
  }
  return facts;
}

/** First line, bounded: AWS messages can be long, and a message must stay one readable sentence. */
function oneLine(text: string): string {
  const first = (text.split('\n')[0] ?? '').trim();
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}
