import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApprovalEndpointDeps, handleApprovalRequest } from './approval-endpoint.js';
import { MAX_FORM_BYTES } from './approval-form.js';
import { SECURITY_HEADERS } from './approval-response.js';
import type { HttpRequest, HttpResponse } from './http-types.js';

export interface ApprovalServerOptions {
  /** Interface to listen on (default 127.0.0.1: only this machine). */
  host?: string;
  /** 0 picks any free port. */
  port: number;
  deps: ApprovalEndpointDeps;
}

export interface RunningApprovalServer {
  /** The base URL, e.g. "http://127.0.0.1:8787/". */
  url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** A slow client gets this long for its whole request. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * After a 413, the rest of the body is read and dropped, up to this much, so that the client sees the
 * answer (closing a socket with unread data resets it, and the answer can be lost); beyond that the
 * connection is cut.
 */
const DISCARD_LIMIT_BYTES = 1024 * 1024;

/**
 * Serves the approval endpoint over node:http: each request is translated to an `HttpRequest`
 * (a body is read only up to just past the 16 KB form limit) and the `HttpResponse` written back.
 */
export async function startApprovalServer(options: ApprovalServerOptions): Promise<RunningApprovalServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    void serve(request, response, options.deps);
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  deps: ApprovalEndpointDeps,
): Promise<void> {
  let answer: HttpResponse;
  let overLimit = false;
  try {
    const body = request.method === 'POST' ? await readBody(request) : { text: '', overLimit: false };
    overLimit = body.overLimit;
    answer = await handleApprovalRequest(toHttpRequest(request, body.text), deps);
  } catch {
    answer = {
      status: 500,
      headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
      body: 'Something went wrong; no change was made.\n',
    };
  }
  const body = Buffer.from(answer.body, 'utf8');
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
  response.end(request.method === 'HEAD' ? undefined : body);
  if (overLimit) discardRest(request);
}

function discardRest(request: IncomingMessage): void {
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) request.destroy();
  });
  request.resume();
}

/** The body as text, read up to one byte past the form limit (enough to answer 413). */
async function readBody(request: IncomingMessage): Promise<{ text: string; overLimit: boolean }> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) {
    return { text: '', overLimit: true };
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        // Stop reading without destroying the request, so the 413 can still be written.
        request.off('data', onData);
        request.pause();
        resolve({ text: Buffer.concat(chunks).toString('utf8'), overLimit: true });
      }
    };
    request.on('data', onData);
    request.once('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), overLimit: false }));
    request.once('error', reject);
  });
}

function toHttpRequest(request: IncomingMessage, body: string): HttpRequest {
  const url = new URL(request.url ?? '/', 'http://approval.invalid');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (!Object.hasOwn(query, name)) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query,
    headers,
    body,
    ...(request.socket.remoteAddress ? { sourceIp: request.socket.remoteAddress } : {}),
  };
}
