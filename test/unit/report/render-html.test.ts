import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import type { PocReport, Report } from '../../../src/core/report.js';
import { escapeHtml } from '../../../src/report/html.js';
import { renderHtml } from '../../../src/report/render-html.js';
import { fixtureReport } from './fixture-report.js';
import { HTML_PAYLOAD, hostileReport } from './hostile-report.js';
import { nestingProblems, scanTags, textOutsideTags, unescapeHtml } from './html-scan.js';

/** The markup of the chart with this data-chart value (raw name; escaped as the page escapes it). */
function chart(html: string, dataChart: string): string {
  const attr = `data-chart="${escapeHtml(dataChart)}"`;
  const at = html.indexOf(attr);
  expect(at, dataChart).toBeGreaterThan(0);
  const start = html.lastIndexOf('<svg', at);
  return html.slice(start, html.indexOf('</svg>', at) + '</svg>'.length);
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].length;
}

/** Security properties every rendered page must have, whatever the input. */
function expectSafePage(html: string): void {
  const tags = scanTags(html);
  expect(nestingProblems(html)).toEqual([]);
  expect(textOutsideTags(html)).not.toContain('<');
  expect(
    tags.filter(
      (t) => t.name === 'script' || t.name === 'iframe' || t.name === 'object' || t.name === 'embed',
    ),
  ).toEqual([]);
  for (const tag of tags) {
    for (const [name, value] of tag.attributes) {
      expect(name.startsWith('on'), tag.raw).toBe(false);
      expect(
        ['src', 'srcset', 'action', 'formaction', 'xlink:href', 'background', 'poster'],
        tag.raw,
      ).not.toContain(name);
      if (name === 'href') {
        expect(tag.name, tag.raw).toBe('a');
        expect(unescapeHtml(value), tag.raw).toMatch(/^(#[\w-]+|https?:\/\/[^\s]+|mailto:[^\s]+)$/);
      }
      if (name === 'style') expect(value, tag.raw).toMatch(/^width:\d+(\.\d)?%$/);
    }
  }
}

describe('renderHtml', () => {
  const report = fixtureReport();
  const html = renderHtml(report);

  it('is a complete, well-formed, self-describing page', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>PoC costs · November 2026 · as of 2026-11-19</title>');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
    expect(html).toContain('@media print');
    expect(html).toContain('<main');
    expectSafePage(html);
  });

  it('loads nothing from anywhere: no scripts, no remote resources', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/@import/i);
    expect(html.match(/url\([^)]*\)/g)?.every((url) => url.startsWith('url(#'))).toBe(true);
    // The only URLs are the href of links from the policies.
    const withoutLinks = html.replace(/<a href="https?:\/\/[^"]*"/g, '<a');
    expect(withoutLinks).not.toMatch(/https?:/i);
    expect(withoutLinks).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
  });

  it('shows the summary cards with the right figures', () => {
    const card = (id: string) =>
      html.slice(
        html.indexOf(`data-testid="${id}"`),
        html.indexOf('</article>', html.indexOf(`data-testid="${id}"`)),
      );
    expect(card('summary-mtd')).toContain('$532.93');
    expect(card('summary-forecast')).toContain('$963.32');
    expect(card('summary-forecast')).toContain('3 PoCs on course to exceed budget');
    expect(card('summary-unattributed')).toContain('$81.15');
    expect(card('summary-unattributed')).toContain('15% of spend');
    expect(card('summary-alerts')).toMatch(/>9<\/p><p>5 new · 2 critical</);
    expect(card('summary-savings')).toContain('<h3>Idle savings available</h3>');
    expect(card('summary-savings')).toContain('~$63.11<span class="unit">/mo</span>');
    expect(card('summary-savings')).toContain('<a href="#recommendations-heading">4 resources in 2 PoCs</a>');
    expect(html).toContain('<div class="summary cols-5">');
    const none = fixtureReport();
    none.recommendations = [];
    const page = renderHtml(none);
    expect(page).not.toContain('data-testid="summary-savings"');
    expect(page).not.toContain('data-testid="recommendation"');
    expect(page).toContain('<div class="summary cols-4">');
  });

  it('has a card per recommendation with its savings and a table of resources', () => {
    const cards = [...html.matchAll(/<article [^>]*data-testid="recommendation"[\s\S]*?<\/article>/g)].map(
      (m) => m[0],
    );
    expect(cards).toHaveLength(2);
    const [chatbot = '', search = ''] = cards;
    expect(chatbot).toContain('data-recommendation-id="3f9a2c1b8e4d7a6055c2e1f0b9d83a47"');
    expect(chatbot).toContain('<a href="#poc-2-chatbot-poc">chatbot-poc</a>');
    expect(chatbot).toContain('<span class="badge reason reason-expired">Expired PoC</span>');
    expect(chatbot).toContain('The PoC expired on Oct 31 and these resources still bill.');
    expect(chatbot).toContain('<span class="num">~$37.56</span><small>saved per month</small>');
    expect(chatbot).toContain('rec <code title="3f9a2c1b8e4d7a6055c2e1f0b9d83a47">3f9a2c1b</code>');
    expect(count(chatbot, /data-testid="recommended-resource"/)).toBe(2);
    expect(chatbot).toContain(
      '<span class="res-type">NAT gateway</span><code class="res-id" title="arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0f3c9a7d21e4b5a60">nat-0f3c9a7d21e4b5a60</code><span class="res-where">us-east-1 · 123456789012</span>',
    );
    expect(chatbot).toContain('0 bytes sent in 14 days (AWS/NATGateway BytesOutToDestination, Sum)');
    expect(chatbot).toContain('Measured Nov 5 – Nov 18 (14 days)');
    expect(chatbot).toContain('<time datetime="2026-11-01">Nov 1</time>');
    expect(chatbot).toContain('$32.85<small>Cost Explorer</small>');
    expect(chatbot).toContain('$4.71<small>list-price estimate</small>');
    // Exactly one resource holds data, and says so in words.
    expect(count(chatbot, /<span class="badge holds-data"[^>]*>Holds data<\/span>/)).toBe(1);
    expect(chatbot).toContain('1 holding data');
    expect(search).toContain('<span class="badge reason reason-idle">Idle</span>');
    expect(search).toContain('~$25.55');
    expect(search).not.toContain('Holds data');
    expect(search).toContain('0 invocations in 30 days (AWS/Lambda Invocations, Sum)');
    expect(search).toContain(
      '<code class="res-id" title="arn:aws:apigateway:us-east-1::/restapis/k3x9q2m7za">k3x9q2m7za</code>',
    );
    // After the alerts, before the PoC details; linked from the PoC card.
    expect(html.indexOf('id="alerts-heading"')).toBeLessThan(html.indexOf('id="recommendations-heading"'));
    expect(html.indexOf('id="recommendations-heading"')).toBeLessThan(html.indexOf('id="pocs-heading"'));
    expect(html).toContain('<dt>Teardown</dt><dd><a href="#rec-1">2 resources, ~$37.56/mo</a></dd>');
  });

  it('shows the cost per use on pay-per-use PoC cards, marked when over the maximum', () => {
    const figures = [...html.matchAll(/<div class="(figure(?:-bad)?)" data-testid="per-use">(.*?)<\/div>/g)];
    expect(figures.map((m) => m[1])).toEqual(['figure-bad', 'figure']);
    expect(figures[0]?.[2]).toBe(
      '<dt>Cost per use</dt><dd class="num">$0.48<small class="bad">per 1,000 invocations · over the $0.40 max</small></dd>',
    );
    expect(figures[1]?.[2]).toBe(
      '<dt>Cost per use</dt><dd class="num">$0.31<small>per 1,000 requests · max $0.40</small></dd>',
    );
    expect(html).toContain(
      '<dt>Usage</dt><dd>87,412 requests and $26.70 in 30 days <span class="muted">(AWS/ApiGateway Count (ApiId=7hq2v0xk1c))</span></dd>',
    );
  });

  it('states the API calls and their cost in the footer', () => {
    expect(html).toContain(
      'API calls: <span data-testid="api-calls">none (offline)</span> · cost of this run <span class="num" data-testid="api-cost">$0.00</span>',
    );
    const online = fixtureReport();
    online.apiCalls = { 'ce:GetCostAndUsage': 3, 'cloudwatch:GetMetricData': 2 };
    online.apiCost = parseMoney('0.0402');
    expect(renderHtml(online)).toContain(
      'API calls: <span data-testid="api-calls">3 × ce:GetCostAndUsage, 2 × cloudwatch:GetMetricData</span> · cost of this run <span class="num" data-testid="api-cost">$0.04</span>',
    );
  });

  it('has one daily chart per PoC, the share chart and the unattributed chart', () => {
    expect(count(html, /data-chart="daily-/)).toBe(report.pocs.length);
    for (const poc of report.pocs)
      expect(chart(html, `daily-${poc.poc}`)).toContain('class="chart cost-chart"');
    expect(count(html, /data-chart="share"/)).toBe(1);
    expect(count(html, /data-chart="unattributed"/)).toBe(1);
  });

  it('makes every chart accessible: role, label, title, description and a data table', () => {
    const svgs = scanTags(html).filter(
      (t) => t.name === 'svg' && !t.closing && t.attributes.has('data-chart'),
    );
    expect(svgs).toHaveLength(report.pocs.length + 2);
    for (const svg of svgs) {
      expect(svg.attributes.get('role')).toBe('img');
      expect(svg.attributes.get('aria-label')?.length).toBeGreaterThan(5);
      const id = svg.attributes.get('id') ?? '';
      expect(svg.attributes.get('aria-describedby')).toBe(`${id}-desc`);
      const markup = chart(html, unescapeHtml(svg.attributes.get('data-chart') ?? ''));
      expect(markup).toMatch(/^<svg[^>]*><title>[^<]+<\/title><desc id="[^"]+-desc">[^<]+<\/desc>/);
    }
    // A data table next to each chart.
    expect(count(html, /<details><summary>Daily figures<\/summary>/)).toBe(report.pocs.length + 1);
    expect(count(html, /<details><summary>Data table<\/summary>/)).toBe(1);
    const checkout = chart(html, 'daily-checkout-redesign');
    expect(checkout).toContain(
      '$152.04 spent in the first 18 of 30 days against a monthly budget of $120.00 (126% used)',
    );
    expect(checkout).toContain(
      'Forecast $284.52 at month end, $164.52 over budget. Highest day Nov 16 at $16.40.',
    );
  });

  it('draws the cost chart: spend so far, forecast, budget, daily bars, cap', () => {
    const checkout = chart(html, 'daily-checkout-redesign');
    expect(count(checkout, /<rect class="bar[ "]/)).toBe(18);
    expect(count(checkout, /class="bar over-cap"/)).toBe(1); // Nov 16, $16.40 > $15 cap
    expect(count(checkout, /class="bar estimated"/)).toBe(2);
    expect(checkout).toContain('<title>Nov 16: $16.40</title>');
    expect(checkout).toContain('class="forecast over"');
    expect(checkout).toContain('class="budget"');
    expect(checkout).toContain('class="pace"');
    expect(checkout).toContain('class="cap"');
    expect(checkout).toContain('>Budget $120<');

    const invoice = chart(html, 'daily-invoice-ocr');
    expect(invoice).toContain('class="forecast"');
    expect(invoice).not.toContain('forecast over');

    const unbudgeted = chart(html, 'daily-données-clients');
    expect(unbudgeted).not.toContain('class="budget"');
    expect(unbudgeted).not.toContain('class="pace"');

    const tagging = chart(html, 'daily-image-tagging');
    expect(count(tagging, /class="bar credit"/)).toBe(1);
    expect(tagging).toContain('<title>Nov 9: -$3.50 (credit)</title>');

    const young = chart(html, 'daily-pricing-experiment');
    expect(young).toContain('>started Nov 17<');
  });

  it('shows the share of spend with a legend and amounts', () => {
    const share = chart(html, 'share');
    expect(count(share, /<g class="series-\d+"><rect/)).toBe(7);
    expect(share).toContain('fill="url(#share-chart-hatch)"');
    expect(share).toContain('<title>Unattributed: $81.15 (15%)</title>');
    const legend = [...html.matchAll(/<li data-testid="share-legend-item">.*?<\/li>/g)].map((m) =>
      m[0]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(legend).toHaveLength(8);
    expect(legend[0]).toBe('search-relevance $172.37 32%');
    expect(legend.at(-1)).toBe('Unattributed $81.15 15%');
    expect(legend).toContain('pricing-experiment $3.05 1%');
  });

  it('groups PoCs beyond the palette into one segment', () => {
    const many = fixtureReport();
    const template = many.pocs[0] as PocReport;
    many.pocs = Array.from({ length: 11 }, (_, i) => ({
      ...template,
      poc: `poc-${i}`,
      monthToDate: parseMoney(String(100 - i)),
    }));
    const page = renderHtml(many);
    const share = chart(page, 'share');
    expect(count(share, /<g class="series-\d+">/)).toBe(7);
    expect(share).toContain('<g class="series-other">');
    expect(share).toContain('<title>4 other PoCs: $366.00 (33%)</title>');
    expect(count(page, /data-chart="daily-/)).toBe(11);
  });

  it('lists the PoCs in report order in the overview and as cards', () => {
    const order = report.pocs.map((p) => p.poc);
    const rows = [...html.matchAll(/data-testid="poc-row" data-poc="([^"]+)"/g)].map((m) =>
      unescapeHtml(m[1] ?? ''),
    );
    const cards = [...html.matchAll(/data-testid="poc-card" data-poc="([^"]+)"/g)].map((m) =>
      unescapeHtml(m[1] ?? ''),
    );
    expect(rows).toEqual(order);
    expect(cards).toEqual(order);
    const firstRow = html.slice(
      html.indexOf('data-testid="poc-row"'),
      html.indexOf('</tr>', html.indexOf('data-testid="poc-row"')),
    );
    expect(firstRow).toContain('Over budget');
    expect(firstRow).toContain('$152.04');
    expect(firstRow).toContain('126%');
    expect(firstRow).toContain('$284.52');
  });

  it('lists alerts with new ones marked, and each PoC card has its own', () => {
    const alerts = [...html.matchAll(/<li class="(fresh|old)" data-testid="alert"/g)].map((m) => m[1]);
    expect(alerts).toEqual(report.alerts.map((a) => (a.new ? 'fresh' : 'old')));
    expect(count(html, /data-testid="poc-alert"/)).toBe(report.alerts.length);
  });

  it('links policy URLs only when they are http(s), never javascript:', () => {
    expect(html).toContain(
      '<a href="https://wiki.example.com/poc/checkout-redesign" rel="noopener noreferrer">Experiment brief</a>',
    );
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('Old runbook (link not shown)');
  });

  it('gives elements unique ids and links cards from the overview', () => {
    const ids = scanTags(html).flatMap((t) => (t.attributes.has('id') ? [t.attributes.get('id')] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).toContain('id="poc-1-checkout-redesign"');
    expect(html).toContain('id="poc-5-donnees-clients"');
    expect(html).toContain('<a href="#poc-5-donnees-clients">données-clients</a>');
    for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) expect(ids, target).toContain(target);
  });

  it('escapes hostile PoC names and every other user string', () => {
    const names = [
      '<script>alert(1)</script>',
      `a"b'c&d`,
      `" onmouseover="alert(1)`,
      `'><img src=x onerror=alert(1)>`,
    ];
    for (const name of names) {
      const hostile = fixtureReport();
      const first = hostile.pocs[0] as PocReport;
      for (const alert of hostile.alerts) if (alert.poc === first.poc) alert.poc = name;
      first.poc = name;
      const page = renderHtml(hostile);
      expectSafePage(page);
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toMatch(/<img/i);
      // The name is shown, escaped, as the card heading, and the chart is still found by it.
      const escaped = name
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;');
      expect(page).toContain(`-name">${escaped.replace(/'/g, '&#39;')}</h3>`);
      expect(chart(page, `daily-${name}`)).toContain('role="img"');
    }
    const page = renderHtml(hostileReport());
    expectSafePage(page);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain(
      `&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;amp;`,
    );
    expect(unescapeHtml(page)).toContain(HTML_PAYLOAD);
    // Hostile recommendations: still two cards, every field escaped.
    expect(count(page, /data-testid="recommendation"/)).toBe(2);
    const rec = page.slice(
      page.indexOf('data-testid="recommendation"'),
      page.indexOf('</article>', page.indexOf('data-testid="recommendation"')),
    );
    expect(rec).toContain('data-recommendation-id="&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rec).toContain('rec <code title="&lt;script&gt;alert(1)');
    expect(rec).toContain(
      '<td class="evidence">&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;amp;<small>',
    );
    expect(page).toContain('API calls: <span data-testid="api-calls">2 × &lt;script&gt;alert(1)');
  });

  it('flags partial data', () => {
    const partial = fixtureReport();
    partial.source.partial = true;
    expect(renderHtml(partial)).toContain('data-testid="partial-notice"');
    expect(html).not.toContain('data-testid="partial-notice"');
  });

  it('renders an empty month and a complete month', () => {
    const empty: Report = fixtureReport();
    empty.pocs = [];
    empty.alerts = [];
    empty.warnings = [];
    empty.unattributed = { monthToDate: 0n, services: [], daily: [] };
    empty.total = { monthToDate: 0n, forecastMonthEnd: 0n, daily: [] };
    const page = renderHtml(empty);
    expectSafePage(page);
    expect(page).toContain('No PoC spend in this period.');
    expect(page).toContain('No spend yet');
    expect(page).toContain('No alerts.');

    const complete = fixtureReport();
    complete.period = { ...complete.period, end: '2026-12-01', elapsedDays: 30 };
    for (const poc of complete.pocs) poc.forecastBasis = { method: 'complete', days: 30, dailyRate: 0n };
    const done = renderHtml(complete);
    expectSafePage(done);
    expect(done).not.toContain('class="forecast');
    expect(done).not.toContain('rest of month');
    expect(done).toContain('Nov 1–30 (complete month)');
  });
});

describe('an expired PoC card', () => {
  it('calls its remaining spend waste instead of comparing the forecast with the budget', () => {
    const report = fixtureReport();
    const expired = report.pocs.find((poc) => poc.status === 'expired');
    expect(expired).toBeDefined();
    const page = renderHtml(report);
    expect(page).toContain('expired: anything it still costs is waste');
  });
});
