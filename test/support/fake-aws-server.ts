import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { signedRegion } from './fake-aws-env.js';

/** A request as the fake endpoint saw it. */
export interface RecordedRequest {
  /**
   * "GetCostAndUsage", "GetResources", "DescribeVolumes", ... (JSON RPC and query protocols), or
   * "<METHOD> <path>" for REST protocols: "GET /2015-03-31/functions/my-function", "HEAD /my-bucket".
   */
  operation: string;
  /** Parsed JSON body (JSON protocols, REST-JSON) or form fields (query protocols); {} otherwise. */
  body: Record<string, unknown>;
  /** The query string's parameters ("versions" → "" for S3's `?versions`). */
  query: Record<string, string>;
  /** The raw request body (REST-XML bodies such as S3's DeleteObjects). */
  text: string;
  headers: IncomingMessage['headers'];
}

export interface FakeResponse {
  status?: number;
  /**
   * An object is sent as JSON (`application/x-amz-json-1.x`, or `application/json` to REST requests);
   * a string is sent as is (XML); undefined sends no body (HEAD, 204).
   */
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeHandler = (
  request: RecordedRequest,
  callIndex: number,
) => FakeResponse | Promise<FakeResponse>;

/** An AWS-style JSON error body, as the SDK's JSON protocols parse it. */
export function awsJsonError(status: number, type: string, message: string): FakeResponse {
  return {
    status,
    body: { __type: type, message },
    headers: { 'x-amzn-errortype': type },
  };
}

/** An AWS Query protocol error (SNS, RDS, ELB, CloudFormation …), as those services send it. */
export function awsQueryError(status: number, code: string, message: string): FakeResponse {
  return {
    status,
    body: `<ErrorResponse xmlns="https://example.amazonaws.com/doc/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-error</RequestId></ErrorResponse>`,
  };
}

/** An EC2 Query protocol error (`Response/Errors/Error`). */
export function ec2Error(status: number, code: string, message: string): FakeResponse {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-error</RequestID></Response>`,
  };
}

/** A REST-XML error (S3). HEAD requests carry no body: the SDK reads the status alone. */
export function s3Error(status: number, code: string, message: string): FakeResponse {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>req-error</RequestId></Error>`,
  };
}

/** A REST-JSON error (Lambda, API Gateway): the type travels in `x-amzn-errortype`. */
export function restJsonError(status: number, type: string, message: string): FakeResponse {
  return { status, body: { message }, headers: { 'x-amzn-errortype': type } };
}

/** What a fault makes an operation answer, in the protocol the request came in. */
export type FaultKind = 'deny' | 'server-error' | 'throttle' | 'region-disabled';

interface Fault {
  operation: string;
  kind: FaultKind;
  /** Only requests signed for this region (all regions share one endpoint). */
  region?: string;
  /** Requests it still answers; unlimited when absent. */
  remaining?: number;
}

const EC2_API_VERSION = '2016-11-15';

/** The error `kind` as the request's protocol carries it (JSON, EC2 Query, or Query). */
export function faultResponse(kind: FaultKind, request: RecordedRequest): FakeResponse {
  const message = `injected ${kind} for ${request.operation}`;
  if (typeof request.headers['x-amz-target'] === 'string') {
    switch (kind) {
      case 'deny':
        return awsJsonError(
          400,
          'AccessDeniedException',
          `User is not authorized to perform this action (${message})`,
        );
      case 'server-error':
        return awsJsonError(500, 'InternalServiceException', message);
      case 'throttle':
        return awsJsonError(400, 'ThrottlingException', message);
      case 'region-disabled':
        return awsJsonError(
          400,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
    }
  }
  if (request.body.Version === EC2_API_VERSION) {
    switch (kind) {
      case 'deny':
        return ec2Error(
          403,
          'UnauthorizedOperation',
          `You are not authorized to perform this operation (${message})`,
        );
      case 'server-error':
        return ec2Error(500, 'InternalError', message);
      case 'throttle':
        return ec2Error(503, 'RequestLimitExceeded', message);
      case 'region-disabled':
        return ec2Error(401, 'OptInRequired', 'You are not subscribed to this service in this region.');
    }
  }
  switch (kind) {
    case 'deny':
      return awsQueryError(403, 'AccessDenied', `not authorized (${message})`);
    case 'server-error':
      return awsQueryError(500, 'InternalFailure', message);
    case 'throttle':
      return awsQueryError(400, 'Throttling', message);
    case 'region-disabled':
      return awsQueryError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
  }
}

/**
 * A local HTTP endpoint that speaks enough of AWS's wire protocols for the real SDK to talk to it:
 * JSON 1.0/1.1 (operation in `X-Amz-Target`), the EC2/Query protocol (form body `Action=`), and REST
 * protocols whatever their content type (REST-JSON: Lambda, API Gateway, SES v2; REST-XML: S3), whose
 * operation is "<METHOD> <path>" ("GET /restapis/a1b2c3", "DELETE /my-bucket").
 * Tests point the SDK at it with the SDK's own endpoint override, as users do with LocalStack.
 */
export class FakeAwsServer {
  readonly requests: RecordedRequest[] = [];
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly faults: Fault[] = [];
  private readonly counts = new Map<string, number>();
  private server: Server | Http2Server | undefined;
  private readonly sessions = new Set<Http2Session>();

  /**
   * `http2`: serve cleartext HTTP/2 (h2c) instead of HTTP/1.1, for the SDK clients whose default
   * handler is HTTP/2 (Kinesis, for SubscribeToShard).
   */
  constructor(private readonly options: { http2?: boolean } = {}) {}

  on(operation: string, handler: FakeHandler): this {
    this.handlers.set(operation, handler);
    return this;
  }

  /**
   * Makes `operation` fail (denied, a server error, throttled, or as a disabled region answers) ahead
   * of its handler: in every region, or the one given; for every request, or `times` requests.
   */
  fault(operation: string, kind: FaultKind, options: { region?: string; times?: number } = {}): this {
    this.faults.push({
      operation,
      kind,
      ...(options.region ? { region: options.region } : {}),
      ...(options.times !== undefined ? { remaining: options.times } : {}),
    });
    return this;
  }

  /** Removes every fault; handlers and recorded requests stay. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Forgets the requests, handlers, faults and call counts: each test starts afresh on a shared server. */
  reset(): void {
    this.requests.length = 0;
    this.handlers.clear();
    this.faults.length = 0;
    this.counts.clear();
  }

  private faultFor(request: RecordedRequest): Fault | undefined {
    const region = signedRegion(request.headers.authorization);
    const fault = this.faults.find(
      (candidate) =>
        candidate.operation === request.operation &&
        (candidate.region === undefined || candidate.region === region) &&
        (candidate.remaining === undefined || candidate.remaining > 0),
    );
    if (fault?.remaining !== undefined) fault.remaining -= 1;
    return fault;
  }

  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  async start(): Promise<string> {
    const serve = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://x');
        const query = Object.fromEntries(url.searchParams);
        const contentType = String(req.headers['content-type'] ?? '');
        const target = req.headers['x-amz-target'];
        let operation: string;
        let body: Record<string, unknown> = {};
        const rest = typeof target !== 'string' && !contentType.includes('x-www-form-urlencoded');
        if (typeof target === 'string') {
          operation = target.split('.').pop() ?? target;
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } else if (!rest) {
          const form = new URLSearchParams(text);
          operation = form.get('Action') ?? 'Unknown';
          body = Object.fromEntries(form);
        } else {
          // REST protocols (Lambda, API Gateway, SES v2, S3): the operation is the method and path.
          operation = `${req.method} ${decodeURIComponent(url.pathname)}`;
          if (text && contentType.includes('json')) body = JSON.parse(text) as Record<string, unknown>;
        }
        const request = { operation, body, query, text, headers: req.headers };
        this.requests.push(request);
        const index = this.counts.get(operation) ?? 0;
        this.counts.set(operation, index + 1);
        const handler = this.handlers.get(operation);
        const fault = this.faultFor(request);
        let response: FakeResponse;
        try {
          response = fault
            ? faultResponse(fault.kind, request)
            : handler
              ? await handler(request, index)
              : awsJsonError(400, 'UnknownOperationException', `no fake for ${operation}`);
        } catch (error) {
          response = awsJsonError(500, 'InternalFailure', (error as Error).message);
        }
        const isJson = response.body !== undefined && typeof response.body !== 'string';
        const jsonType = rest ? 'application/json' : 'application/x-amz-json-1.1';
        res.writeHead(response.status ?? 200, {
          ...(response.body === undefined ? {} : { 'content-type': isJson ? jsonType : 'text/xml' }),
          'x-amzn-requestid': `req-${this.requests.length}`,
          ...response.headers,
        });
        if (response.body === undefined) res.end();
        else res.end(isJson ? JSON.stringify(response.body) : (response.body as string));
      });
    };
    let server: Server | Http2Server;
    if (this.options.http2) {
      const http2 = createHttp2Server(serve);
      http2.on('session', (session) => {
        this.sessions.add(session);
        session.on('close', () => this.sessions.delete(session));
      });
      server = http2;
    } else {
      server = createServer(serve);
    }
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    // HTTP/2 clients keep their sessions open; the server closes only once they are gone.
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
