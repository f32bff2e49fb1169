/** Requests to the approval endpoint, and what its pages hold, for tests. */
import type { ApprovalAction } from '../../src/approval/approval-token.js';
import type { HttpRequest } from '../../src/approval/http-types.js';

export function getRequest(token?: string, method = 'GET'): HttpRequest {
  return {
    method,
    path: '/',
    query: token === undefined ? {} : { token },
    headers: { 'user-agent': 'Mozilla/5.0 (test)' },
    body: '',
    sourceIp: '203.0.113.9',
  };
}

export function postRequest(
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): HttpRequest {
  return {
    method: 'POST',
    path: '/',
    query: {},
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Mozilla/5.0 (test)',
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
    sourceIp: '203.0.113.9',
  };
}

/** The hidden fields of the page's form for `action`, or undefined when the page has no such form. */
export function hiddenFields(page: string, action: ApprovalAction): Record<string, string> | undefined {
  const form = new RegExp(`<form[^>]*data-action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(page);
  if (!form?.[1]) return undefined;
  const fields: Record<string, string> = {};
  for (const match of form[1].matchAll(/<input type="hidden" name="([a-z]+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = match[2] as string;
  }
  return fields;
}

/** The actions the page offers a form for. */
export function offeredActions(page: string): string[] {
  return [...page.matchAll(/<form[^>]*data-action="([a-z]+)"/g)].map((match) => match[1] as string);
}

/** Visible text of a page, tags dropped and whitespace collapsed (entities kept as written). */
export function pageText(page: string): string {
  return page
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
