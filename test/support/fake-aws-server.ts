import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake endpoint saw it. */
export interface RecordedRequest {
  /** "GetCostAndUsage", "GetResources", "DescribeVolumes", ... */
  operation: string;
  /** Parsed JSON body (JSON protocols) or form fields (query protocols). */
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface FakeResponse {
  status?: number;
  /** An object is sent as JSON (`application/x-amz-json-1.x`); a string is sent as is (XML). */
  body: unknown;
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

/**
 * A local HTTP endpoint that speaks enough of AWS's wire protocols for the real SDK to talk to it:
 * JSON 1.0/1.1 (operation in `X-Amz-Target`), REST-JSON (operation "POST /v2/…") and the EC2/Query
 * protocol (form body `Action=`).
 * Tests point the SDK at it with the SDK's own endpoint override, as users do with LocalStack.
 */
export class FakeAwsServer {
  readonly requests: RecordedRequest[] = [];
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly counts = new Map<string, number>();
  private server: Server | undefined;

  on(operation: string, handler: FakeHandler): this {
    this.handlers.set(operation, handler);
    return this;
  }

  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const target = req.headers['x-amz-target'];
        let operation: string;
        let body: Record<string, unknown>;
        if (typeof target === 'string') {
          operation = target.split('.').pop() ?? target;
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } else if (String(req.headers['content-type'] ?? '').includes('json')) {
          // REST-JSON services (SES v2): the operation is the method and path.
          operation = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } else {
          const form = new URLSearchParams(text);
          operation = form.get('Action') ?? 'Unknown';
          body = Object.fromEntries(form);
        }
        const request = { operation, body, headers: req.headers };
        this.requests.push(request);
        const index = this.counts.get(operation) ?? 0;
        this.counts.set(operation, index + 1);
        const handler = this.handlers.get(operation);
        let response: FakeResponse;
        try {
          response = handler
            ? await handler(request, index)
            : awsJsonError(400, 'UnknownOperationException', `no fake for ${operation}`);
        } catch (error) {
          response = awsJsonError(500, 'InternalFailure', (error as Error).message);
        }
        const isJson = typeof response.body !== 'string';
        res.writeHead(response.status ?? 200, {
          'content-type': isJson ? 'application/x-amz-json-1.1' : 'text/xml',
          'x-amzn-requestid': `req-${this.requests.length}`,
          ...response.headers,
        });
        res.end(isJson ? JSON.stringify(response.body) : (response.body as string));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
