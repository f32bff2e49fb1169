import { createHash } from 'node:crypto';
import type { Html } from '../report/html.js';
import { APPROVAL_PAGE_CSS } from './approval-page-styles.js';
import type { HttpResponse } from './http-types.js';

/** The stylesheet's hash: the page's only style, and no script at all. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(APPROVAL_PAGE_CSS, 'utf8').digest('base64')}'`;

/**
 * What the browser may do with an approval page: load nothing, run nothing, post forms only back
 * here, never be framed (clickjacking a Yes button), and keep the token-bearing URL out of
 * Referer headers, caches and search indexes.
 */
export const APPROVAL_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': APPROVAL_CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

/** An HTML page with the security headers; `extra` adds headers such as Allow. */
export function htmlResponse(status: number, page: Html, extra: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', ...extra },
    body: page.value,
  };
}
