/**
 * A plain HTTP exchange, independent of where it is served: `pocketwatch serve` (node:http) and the
 * approval Lambda (a Function URL event) both translate to and from these.
 */
export interface HttpRequest {
  /** Upper case: GET, HEAD, POST, … */
  method: string;
  /** The path without the query string, e.g. "/". */
  path: string;
  /** Query parameters (first value of each). */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as text ('' when there is none). */
  body: string;
  /** The client's address, for the audit trail. */
  sourceIp?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}
