import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import { periodFor } from '../../../src/core/period.js';
import { niceTicks } from '../../../src/report/chart-scale.js';
import { denseDaily } from '../../../src/report/daily-series.js';
import {
  money,
  monthLabel,
  percentLabel,
  periodRangeLabel,
  shareLabel,
  signedMoney,
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
