import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/delivery/digest-model.js';
import { EMAIL_HTML_CAPS, renderEmailHtml } from '../../../src/delivery/email-html.js';
import { fixtureReport } from '../report/fixture-report.js';
import { HTML_PAYLOAD, hostileReport } from '../report/hostile-report.js';
import { nestingProblems, scanTags, textOutsideTags, unescapeHtml } from '../report/html-scan.js';
import { bigReport, REPORT_URL } from './digest-fixtures.js';

/** Elements an email client renders reliably; nothing that loads, runs or draws. */
const ALLOWED_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'p',
  'table',
  'tr',
  'td',
  'span',
  'strong',
  'a',
  'br',
]);

const LOADING_ATTRIBUTES = new Set(['src', 'srcset', 'background', 'poster', 'action', 'formaction', 'data']);

/** Checks that hold for any digest email: client-safe markup, no resource loads, no script. */
function expectEmailSafe(page: string, reportUrl?: string): void {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<svg/i);
  expect(page).not.toMatch(/<(img|link|iframe|object|embed|video|audio|source|style|form|input|base)\b/i);
  expect(page).not.toMatch(/url\(/i);
  expect(page).not.toMatch(/@import/i);
  const tags = scanTags(page);
  for (const tag of tags) {
    expect(ALLOWED_TAGS.has(tag.name), `unexpected <${tag.name}>`).toBe(true);
    for (const name of tag.attributes.keys()) {
      expect(name.startsWith('on'), `${name} on <${tag.name}>`).toBe(false);
      expect(LOADING_ATTRIBUTES.has(name), `${name} on <${tag.name}>`).toBe(false);
    }
  }
  // http(s) appears only as the report link, never as a resource.
  const hrefs = tags
    .filter((t) => t.name === 'a' && !t.closing)
    .map((t) => unescapeHtml(t.attributes.get('href') ?? ''));
  for (const href of hrefs) expect(href).toBe(reportUrl);
  const withoutLinks = page.replaceAll(/<a [^>]*>/g, '');
  const mentions = [...withoutLinks.matchAll(/https?:\/\/[^\s"'<]+/g)].map((match) => unescapeHtml(match[0]));
  for (const url of mentions) expect(url).toBe(reportUrl);
  expect(textOutsideTags(page)).not.toContain('<');
  expect(nestingProblems(page)).toEqual([]);
}

describe('renderEmailHtml', () => {
  const digest = buildDigest(fixtureReport(), { reportUrl: REPORT_URL });
  const page = renderEmailHtml(digest);

  it('is email-client safe: tables, inline styles, no script, SVG, images or remote loads', () => {
    expectEmailSafe(page, REPORT_URL);
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('role="presentation"');
    expect(page).not.toContain('class=');
  });

  it('has the headline, key figures and the report link', () => {
    const text = unescapeHtml(textOutsideTags(page));
    expect(text).toContain(digest.headline);
    expect(text).toContain('$532.93');
    expect(text).toContain('~$63.11/mo');
    expect(text).toContain('Open the full report');
    expect(text).toContain('This run: no AWS calls (offline), cost $0.00');
  });

  it('draws a budget usage bar per budgeted PoC and a 14-day strip per PoC out of table cells', () => {
    // Over budget: one full red cell; 61 % used: a 61 % cell and a 39 % track.
    expect(page).toContain('<td width="100%" height="8" style="height:8px;background:#d92d20;');
    expect(page).toContain('<td width="61%" height="8" style="height:8px;background:#17a35a;');
    expect(page).toContain('<td width="39%" height="8" style="height:8px;background:#e8ebef;');
    const dayCells = scanTags(page).filter(
      (t) => t.name === 'td' && /^Nov \d+: /.test(t.attributes.get('title') ?? ''),
    );
    expect(dayCells).toHaveLength(7 * 14);
    expect(dayCells[0]?.attributes.get('title')).toBe('Nov 5: $6.31');
    expect(dayCells[13]?.attributes.get('title')).toBe('Nov 18: $11.35 (estimated)');
    expect(dayCells.some((t) => t.attributes.get('title') === 'Nov 9: -$3.50 (credit)')).toBe(true);
  });

  it('lists new alerts only, the recommendations and unattributed spend', () => {
    const text = unescapeHtml(textOutsideTags(page));
    expect(text).toContain('New alerts (5)');
    expect(text).not.toContain('chatbot-poc expired on 2026-10-31');
    expect(text).toContain('NAT gateway nat-0f3c9a7d21e4b5a60');
    expect(text).toContain('HOLDS DATA');
    expect(text).toContain('Unattributed spend');
    expect(text).toContain('PoCs without an owner: données-clients');
  });

  it("holds only the owner's PoCs in an owner's digest", () => {
    const owner = renderEmailHtml(buildDigest(fixtureReport(), { owner: 'sam@example.com' }));
    expectEmailSafe(owner);
    const text = unescapeHtml(textOutsideTags(owner));
    expect(text).toContain('Digest for sam@example.com');
    expect(text).toContain('image-tagging');
    for (const other of ['checkout-redesign', 'chatbot-poc', 'search-relevance', 'données-clients']) {
      expect(text).not.toContain(other);
    }
    expect(text).not.toContain('Unattributed');
  });

  it('escapes every hostile string', () => {
    const hostile = renderEmailHtml(buildDigest(hostileReport(), { reportUrl: REPORT_URL }));
    expectEmailSafe(hostile, REPORT_URL);
    expect(hostile).not.toContain(HTML_PAYLOAD);
    expect(hostile).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;amp;0',
    );
    expect(hostile).not.toContain('javascript:');
    expect(hostile).not.toContain('data:text/html');
  });

  it('caps long lists with a count and a link to the report', () => {
    const big = renderEmailHtml(buildDigest(bigReport(), { reportUrl: REPORT_URL }));
    expectEmailSafe(big, REPORT_URL);
    const text = unescapeHtml(textOutsideTags(big));
    expect(text).toContain(`… and ${300 - EMAIL_HTML_CAPS.pocs} more PoCs: see the full report`);
    expect(text).toContain(`… and ${200 - EMAIL_HTML_CAPS.alerts} more alerts: see the full report`);
    expect(big.length).toBeLessThan(1_000_000);
  });
});
