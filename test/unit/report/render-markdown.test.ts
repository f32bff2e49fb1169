import { describe, expect, it } from 'vitest';
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
    expect(markdown).toContain('### Alerts (8, 4 new)');
    expect(markdown).toContain(
      '- 🆕 **critical** · **checkout-redesign** · over budget · Nov 18 — checkout-redesign is over budget',
    );
    expect(markdown).toContain('### Unattributed spend: \\$81.15 (15%)');
    expect(markdown).toContain('| EC2 - Other | \\$31.22 | 38% |');
    expect(markdown).toContain('| **Total** | **\\$532.93** | **\\$963.32** |');
    expect(markdown).toContain('- ⚠️ **late-data**: Rows for 2026-11-18 are still arriving');
    expect(markdown.trimEnd().split('\n').at(-1)).toBe(
      '<sub>Generated 2026-11-19T07:02:13.481Z by pocketwatch · API calls: none</sub>',
    );
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
    }
  });

  it('warns when input was skipped', () => {
    const partial = fixtureReport();
    partial.source.partial = true;
    expect(renderMarkdown(partial)).toContain('> [!WARNING]\n> Some input was skipped');
    expect(markdown).not.toContain('[!WARNING]');
  });
});
