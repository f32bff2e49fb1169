import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import { renderMarkdown } from '../../../src/report/render-markdown.js';
import { fixtureReport } from './fixture-report.js';
import { hostileReport } from './hostile-report.js';

/** Cells of a table row, split at pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Consecutive lines starting with "|" form a table. */
function tables(markdown: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(fixtureReport());

  it('has a heading with the month and the period, as-of day and source', () => {
    const [title, , meta] = markdown.split('\n');
    expect(title).toBe('## PoC costs · November 2026');
    expect(meta).toContain('**Nov 1–18 (day 18 of 30)**');
    expect(meta).toContain('as of 2026-11-19');
    expect(meta).toContain('sample/focus-2026-11.csv.gz (includes estimated figures)');
  });

  it('lists the PoCs in report order with status symbols and figures', () => {
    const pocTable = tables(markdown).find((t) => t[0]?.startsWith('| PoC |'));
    expect(pocTable).toBeDefined();
    const rows = (pocTable ?? []).slice(2).map(cells);
    expect(rows.map((r) => r[0])).toEqual([
      '**checkout-redesign**',
      '**chatbot-poc**',
      '**search-relevance**',
      '**image-tagging**',
      '**données-clients**',
      '**pricing-experiment**',
      '**invoice-ocr**',
    ]);
    expect(rows[0]).toEqual([
      '**checkout-redesign**',
      '🔴 over budget',
      '\\$152.04',
      '\\$120.00',
      '`██████████▶ 126%`',
      '\\$284.52',
      '+\\$0.33',
      '`▃▃▃▄▄▄▄▄▄▄▅▅▅▅▅█▆▆`',
    ]);
    expect(rows.map((r) => r[1]?.split(' ')[0])).toEqual(['🔴', '⌛', '🟠', '🟠', '🟣', '🟢', '🟢']);
    expect(rows[4]?.slice(3, 5)).toEqual(['—', '—']);
  });

  it('gives every table row as many cells as its header', () => {
    for (const table of tables(markdown)) {
      const width = cells(table[0] ?? '').length;
      for (const row of table) expect(cells(row), row).toHaveLength(width);
    }
  });

  it('escapes pipes and emphasis in user text so tables and lines hold', () => {
    expect(markdown).toContain('A\\|B test of click-through against the \\*current\\* ranker.');
    const report = fixtureReport();
    const first = report.pocs[0];
    if (!first) throw new Error('fixture changed');
    first.poc = 'a|b|c';
    const piped = renderMarkdown(report);
    expect(piped).toContain('**a\\|b\\|c**');
    for (const table of tables(piped)) {
      const width = cells(table[0] ?? '').length;
      for (const row of table) expect(cells(row), row).toHaveLength(width);
    }
  });

  it('lists alerts, unattributed spend, totals and warnings', () => {
    expect(markdown).toContain('### Alerts (9, 5 new)');
    expect(markdown).toContain(
      '- 🆕 warning · **image-tagging** · cost per use · Nov 18 — image-tagging cost \\$0.48 per 1,000 invocations',
    );
    expect(markdown).toContain(
      '- 🆕 **critical** · **checkout-redesign** · over budget · Nov 18 — checkout-redesign is over budget',
    );
    expect(markdown).toContain('### Unattributed spend: \\$81.15 (15%)');
    expect(markdown).toContain('| EC2 - Other | \\$31.22 | 38% |');
    expect(markdown).toContain('| **Total** | **\\$532.93** | **\\$963.32** |');
    expect(markdown).toContain('- ⚠️ **late-data**: Rows for 2026-11-18 are still arriving');
    expect(markdown.trimEnd().split('\n').at(-1)).toBe(
      '<sub>Generated 2026-11-19T07:02:13.481Z by pocketwatch · API calls: none (offline) · cost of this run \\$0.00</sub>',
    );
  });

  it('ends with the API calls of an online run and what they cost', () => {
    const online = fixtureReport();
    online.apiCalls = { 'ce:GetCostAndUsage': 3, 'cloudwatch:GetMetricData': 2 };
    online.apiCost = parseMoney('0.0402');
    expect(renderMarkdown(online).trimEnd().split('\n').at(-1)).toBe(
      '<sub>Generated 2026-11-19T07:02:13.481Z by pocketwatch · API calls: 3 × ce:GetCostAndUsage, 2 × cloudwatch:GetMetricData · cost of this run \\$0.04</sub>',
    );
  });

  it('lists recommendations after the alerts, with savings, evidence and data warnings', () => {
    const at = (needle: string) => markdown.indexOf(needle);
    expect(at('### Alerts')).toBeLessThan(at('### Recommendations'));
    expect(at('### Recommendations')).toBeLessThan(at('### Unattributed spend'));
    expect(markdown).toContain('### Recommendations (2) · could save ~\\$63.11/mo');
    expect(markdown).toContain('⌛ **chatbot-poc** · expired · saves **~\\$37.56/mo** · rec 3f9a2c1b');
    expect(markdown).toContain('💤 **search-relevance** · idle · saves **~\\$25.55/mo** · rec c07e5d19');
    const recTables = tables(markdown).filter((t) => t[0]?.startsWith('| Resource |'));
    expect(recTables).toHaveLength(2);
    const rows = recTables.flatMap((t) => t.slice(2).map(cells));
    expect(rows[0]).toEqual([
      'NAT gateway',
      'nat-0f3c9a7d21e4b5a60',
      '0 bytes sent in 14 days \\(AWS/NATGateway BytesOutToDestination, Sum\\)',
      'Nov 1',
      '\\$32.85/mo',
      '',
    ]);
    expect(rows[1]?.slice(0, 2)).toEqual(['DynamoDB table', 'chatbot-sessions']);
    expect(rows[1]?.slice(3)).toEqual(['Oct 29', '\\$4.71/mo *(list-price estimate)*', '⚠️ **holds data**']);
    expect(rows[3]?.slice(0, 4)).toEqual([
      'API Gateway REST API',
      'k3x9q2m7za',
      '0 requests in 30 days \\(AWS/ApiGateway Count, Sum\\); 0.5 GB cache cluster',
      '—',
    ]);
    const none = fixtureReport();
    none.recommendations = [];
    expect(renderMarkdown(none)).not.toContain('Recommendations');
  });

  it('shows the cost per use of pay-per-use PoCs, flagged when over the maximum', () => {
    expect(markdown).toContain(
      '- **image-tagging**: 🔴 **\\$0.48 per 1,000 invocations (max \\$0.40)** — over the maximum · 96,600 invocations and \\$45.90 in 30 days',
    );
    expect(markdown).toContain(
      '- **invoice-ocr**: \\$0.31 per 1,000 requests (max \\$0.40) · 87,412 requests and \\$26.70 in 30 days',
    );
    expect(markdown).toContain('(AWS/ApiGateway Count \\(ApiId=7hq2v0xk1c\\))');
  });

  it('links only http(s) URLs', () => {
    expect(markdown).toContain('[Experiment brief](https://wiki.example.com/poc/checkout-redesign)');
    expect(markdown).toContain('Old runbook (link not shown: unsupported URL)');
    expect(markdown).not.toMatch(/\]\(javascript:/i);
  });

  it('neutralises markdown, HTML, mentions and line breaks in every user string', () => {
    const payloads = [
      '<script>alert(1)</script>',
      '[click](javascript:alert(1))',
      '![x](https://evil.example/p.png)',
      '@everyone',
      'x\n# Heading\n- item',
      '`code` | pipe',
    ];
    for (const payload of payloads) {
      const out = renderMarkdown(hostileReport(payload));
      expect(out, payload).not.toMatch(/(?<!\\)<script/i);
      // No raw HTML tag at all besides the renderer's own wrappers.
      expect(out.replace(/<\/?(details|summary|sub)>/g, ''), payload).not.toMatch(/(?<!\\)<\/?[a-z]+[^>]*>/i);
      expect(out, payload).not.toMatch(/(?<!\\)\]\(javascript:/i);
      expect(out, payload).not.toMatch(/(?<!\\)!\[/);
      expect(out, payload).not.toMatch(/(?<!\\)@everyone/);
      expect(out, payload).not.toMatch(/^# Heading/m);
      expect(out, payload).not.toMatch(/^- item/m);
      for (const table of tables(out)) {
        const width = cells(table[0] ?? '').length;
        for (const row of table) expect(cells(row), `${payload}: ${row}`).toHaveLength(width);
      }
      // Hostile recommendations still give their two tables of resources.
      expect(
        tables(out).filter((t) => t[0]?.startsWith('| Resource |')),
        payload,
      ).toHaveLength(2);
    }
  });

  it('warns when input was skipped', () => {
    const partial = fixtureReport();
    partial.source.partial = true;
    expect(renderMarkdown(partial)).toContain('> [!WARNING]\n> Some input was skipped');
    expect(markdown).not.toContain('[!WARNING]');
  });
});
