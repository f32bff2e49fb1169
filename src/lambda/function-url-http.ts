import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { HttpRequest, HttpResponse } from '../approval/http-types.js';

/** A Function URL event as the plain HTTP exchange the approval endpoint handles. */
export function httpRequestFromFunctionUrl(event: LambdaFunctionURLEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  // Function URLs join repeated query parameters with commas; the endpoint reads the first value.
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value.split(',')[0] ?? '';
  }
  const rawBody = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody;
  const request: HttpRequest = {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath || '/',
    query,
    headers,
    body,
  };
  const sourceIp = event.requestContext.http.sourceIp;
  if (sourceIp) request.sourceIp = sourceIp;
  return request;
}

/** The endpoint's response in the Function URL's (payload format 2.0) shape. */
export function functionUrlResult(response: HttpResponse): LambdaFunctionURLResult {
  return {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: false,
  };
}
