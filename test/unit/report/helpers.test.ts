import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import { periodFor } from '../../../src/core/period.js';
import { niceTicks } from '../../../src/report/chart-scale.js';
import { denseDaily } from '../../../src/report/daily-series.js';
import {
  alertKindLabel,
  apiCallsLabel,
  apiCostLabel,
  dayLabel,
  money,
  monthLabel,
  percentLabel,
  periodRangeLabel,
  perUseLabel,
  resourceShortId,
  resourceTypeLabel,
  shareLabel,
  shortRecommendationId,
  signedMoney,
  unitPrice,
} from '../../../src/report/format.js';
import { escapeHtml, html, trustedHtml } from '../../../src/report/html.js';
import { escapeMarkdown } from '../../../src/report/markdown-escape.js';
import { safeLinkUrl } from '../../../src/report/safe-url.js';

describe('safeLinkUrl', () => {
  it('keeps absolute http, https and mailto URLs', () => {
    expect(safeLinkUrl('https://wiki.example.com/poc/a?x=1&y=2')).toBe(
      'https://wiki.example.com/poc/a?x=1&y=2',
    );
    expect(safeLinkUrl('http://example.com')).toBe('http://example.com/');
    expect(safeLinkUrl('mailto:dana@example.com')).toBe('mailto:dana@example.com');
  });

  it('refuses script, data and relative URLs, however they are disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      '  javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      '//evil.example.com/x',
      '/relative/path',
      'wiki page',
      'https://',
    ]) {
      expect(safeLinkUrl(url), url).toBeUndefined();
    }
  });
});

describe('escaping', () => {
  it('escapes HTML text and attribute characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes every interpolation of the html tag except Html fragments', () => {
    const name = '<script>alert(1)</script>';
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[name, 1, false, null, undefined]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b>&lt;script&gt;alert(1)&lt;/script&gt;1</p>',
    );
    expect(html`${trustedHtml('<hr>')}`.value).toBe('<hr>');
  });

  it('escapes markdown metacharacters and flattens line breaks', () => {
    expect(escapeMarkdown('a|b *c* _d_ [e](f) <g> `h` @i $j ~k~ #l')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\[e\\]\\(f\\) \\<g\\> \\`h\\` \\@i \\$j \\~k\\~ \\#l',
    );
    expect(escapeMarkdown('line\n# heading')).toBe('line \\# heading');
  });
});

describe('formatting', () => {
  it('labels the period', () => {
    expect(monthLabel(periodFor('2026-11-19'))).toBe('November 2026');
    expect(periodRangeLabel(periodFor('2026-11-19'))).toBe('Nov 1–18 (day 18 of 30)');
    expect(periodRangeLabel(periodFor('2026-11-02'))).toBe('Nov 1 (day 1 of 30)');
    expect(periodRangeLabel(periodFor('2026-12-01'))).toBe('Nov 1–30 (complete month)');
  });

  it('formats changes with a sign and budget use floored', () => {
    expect(signedMoney(parseMoney('0.33'), 'USD')).toBe('+$0.33');
    expect(signedMoney(parseMoney('-1.2'), 'USD')).toBe('-$1.20');
    expect(signedMoney(parseMoney('0.001'), 'USD')).toBe('$0.00');
    expect(signedMoney(parseMoney('-0.004'), 'USD')).toBe('$0.00');
    expect(money(parseMoney('-0.004'), 'USD')).toBe('$0.00');
    expect(money(parseMoney('-0.005'), 'USD')).toBe('-$0.01');
    expect(signedMoney(parseMoney('4'), 'CHF')).toBe('+4.00 CHF');
    expect(percentLabel(0.999)).toBe('99%');
    expect(percentLabel(1.267)).toBe('126%');
  });

  it('never shows a positive share as 0%', () => {
    expect(shareLabel(0.0057)).toBe('1%');
    expect(shareLabel(0.004)).toBe('<1%');
    expect(shareLabel(0)).toBe('0%');
    expect(shareLabel(0.316)).toBe('32%');
  });
});

describe('recommendation and cost labels', () => {
  it('names resources by the short id in their ARN and a readable type', () => {
    expect(resourceShortId('arn:aws:ec2:us-east-1:123456789012:natgateway/nat-0abc')).toBe('nat-0abc');
    expect(resourceShortId('arn:aws:lambda:us-east-1:123456789012:function:rerank-v1')).toBe('rerank-v1');
    expect(resourceShortId('arn:aws:dynamodb:us-east-1:123456789012:table/sessions')).toBe('sessions');
    expect(resourceShortId('arn:aws:apigateway:us-east-1::/restapis/k3x9q2m7za')).toBe('k3x9q2m7za');
    expect(resourceShortId('arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/my-alb/50dc6c49')).toBe(
      'app/my-alb/50dc6c49',
    );
    expect(resourceShortId('arn:aws:s3:::my-bucket')).toBe('my-bucket');
    expect(resourceShortId('not an arn')).toBe('not an arn');
    expect(resourceTypeLabel('ec2:natgateway')).toBe('NAT gateway');
    expect(resourceTypeLabel('glue:job')).toBe('glue:job');
    expect(shortRecommendationId('3f9a2c1b8e4d7a60')).toBe('3f9a2c1b');
    expect(dayLabel('2026-10-29', '2026-11-19')).toBe('Oct 29');
    expect(dayLabel('2025-12-30', '2026-01-04')).toBe('Dec 30, 2025');
  });

  it('labels the per-use alert kind', () => {
    expect(alertKindLabel('per-use')).toBe('cost per use');
  });

  it('prices use per block of units, with more decimals below ten cents', () => {
    const use = {
      signal: 'AWS/ApiGateway Count (ApiId=abc123)',
      windowDays: 30,
      cost: parseMoney('26.7'),
      usage: 87_412,
      per: 1000,
      costPerUnit: parseMoney('0.3054'),
      max: parseMoney('0.4'),
      breached: false,
    };
    expect(perUseLabel(use, 'USD')).toBe('$0.31 per 1,000 requests (max $0.40)');
    expect(perUseLabel({ ...use, signal: 'AWS/Lambda Invocations (FunctionName=f)', per: 1 }, 'USD')).toBe(
      '$0.31 per invocation (max $0.40)',
    );
    expect(perUseLabel({ ...use, signal: 'Custom/Orders Placed', costPerUnit: undefined }, 'USD')).toBe(
      'no uses in 30 days (max $0.40 per 1,000 uses)',
    );
    expect(unitPrice(parseMoney('0.0042'), 'USD')).toBe('$0.0042');
    expect(unitPrice(parseMoney('0.31'), 'USD')).toBe('$0.31');
    expect(unitPrice(0n, 'USD')).toBe('$0.00');
  });

  it('lists API calls by operation and never shows a paid run as free', () => {
    expect(apiCallsLabel({})).toBe('none (offline)');
    expect(
      apiCallsLabel({ 'ce:GetCostAndUsage': 3, 'tag:GetResources': 0, 'cloudwatch:GetMetricData': 1200 }),
    ).toBe('3 × ce:GetCostAndUsage, 1,200 × cloudwatch:GetMetricData');
    expect(apiCostLabel(parseMoney('0.0402'), 'USD')).toBe('$0.04');
    expect(apiCostLabel(parseMoney('0.0002'), 'USD')).toBe('<$0.01');
    expect(apiCostLabel(0n, 'USD')).toBe('$0.00');
  });
});

describe('denseDaily', () => {
  it('fills missing days with zero and adds up duplicates', () => {
    const days = denseDaily(
      [
        { date: '2026-11-02', cost: parseMoney('1.5'), estimated: false },
        { date: '2026-11-02', cost: parseMoney('0.5'), estimated: true },
        { date: '2026-10-31', cost: parseMoney('9'), estimated: false },
      ],
      '2026-11-01',
      '2026-11-04',
    );
    expect(days.map((d) => [d.date, d.cost, d.estimated, d.reported])).toEqual([
      ['2026-11-01', 0n, false, false],
      ['2026-11-02', parseMoney('2'), true, true],
      ['2026-11-03', 0n, false, false],
    ]);
  });
});

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 284.52)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0, 40)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(-3.5, 8.9, 2)).toEqual([-5, 0, 5, 10]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.9, 2)).toEqual([0, 0.5, 1]);
  });
});
