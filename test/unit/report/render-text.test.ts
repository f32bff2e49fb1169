import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import type { Report } from '../../../src/core/report.js';
import { renderText } from '../../../src/report/render-text.js';
import { displayWidth, stripAnsi } from '../../../src/report/text-width.js';
import { fixtureReport } from './fixture-report.js';

const ESC = '\u001b';

/** Control characters other than the line feed that separates lines. */
function controlCharacters(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return char !== '\n' && (code < 0x20 || (code >= 0x7f && code < 0xa0));
  });
}
const ORDER = [
  'checkout-redesign',
  'chatbot-poc',
  'search-relevance',
  'image-tagging',
  'données-clients',
  'pricing-experiment',
  'invoice-ocr',
];

/** The PoC table: its header line and one line per PoC. */
function table(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => stripAnsi(line).startsWith('POC '));
  expect(start).toBeGreaterThan(0);
  const end = lines.findIndex((line, i) => i > start && /^\d+ PoCs?/.test(stripAnsi(line)));
  return lines.slice(start, end);
}

/** Display column where `word` ends in the header line (exclusive). */
function headerEnd(header: string, word: string): number {
  const at = header.indexOf(word);
  expect(at).toBeGreaterThanOrEqual(0);
  return displayWidth(header.slice(0, at + word.length));
}

/** The text of a line between display columns [from, to). */
function columns(line: string, from: number, to: number): string {
  let out = '';
  let col = 0;
  for (const char of line) {
    const w = displayWidth(char);
    if (col >= from && col + w <= to) out += char;
    col += w;
  }
  return out;
}

describe('renderText', () => {
  const report = fixtureReport();
  const plain = renderText(report, { color: false });

  it('opens with the period, as-of day, source and currency', () => {
    const head = plain.split('\n').slice(0, 5).join('\n');
    expect(head).toContain('PoC costs · November 2026');
    expect(head).toContain('as of 2026-11-19');
    expect(head).toContain('Nov 1–18 (day 18 of 30)');
    expect(head).toContain('focus: sample/focus-2026-11.csv.gz (includes estimated figures)');
    expect(head).toContain('2026-09-01 → 2026-11-18');
    expect(head).toContain('USD · PoCs by tag "poc"');
  });

  it('lists the PoCs in report order with their figures', () => {
    const rows = table(plain).slice(1);
    expect(rows.map((row) => row.split(/\s{2,}/)[0])).toEqual(ORDER);
    const [checkout, chatbot, , , donnees] = rows;
    expect(checkout?.split(/\s{2,}/)).toEqual([
      'checkout-redesign',
      'over budget',
      '$152.04',
      '$120.00',
      '██████████▶ 126%',
      '$284.52',
      '+$0.33',
      '▃▃▃▄▄▄▄▄▄▄▅▅▅▅▅█▆▆',
    ]);
    expect(chatbot).toContain('expired');
    expect(chatbot).toContain('██████░░░░ 61%');
    expect(donnees?.split(/\s{2,}/).slice(1, 5)).toEqual(['unbudgeted', '$41.76', '—', 'no budget']);
    expect(donnees).toContain('-$0.05');
  });

  it('aligns the table: equal widths, numbers right-aligned under their headers', () => {
    const lines = table(plain);
    const widths = new Set(lines.map(displayWidth));
    expect(widths.size).toBe(1);
    const header = lines[0] ?? '';
    for (const title of ['SPENT', 'BUDGET', 'FORECAST', 'Δ DAY']) {
      const end = headerEnd(header, title);
      for (const row of lines.slice(1)) {
        // The last character under a right-aligned header is the last digit (or the dash).
        expect(columns(row, end - 1, end), `${title} in ${row}`).toMatch(/[0-9—]/);
        expect(columns(row, end, end + 1)).toBe(' ');
      }
    }
    // Left-aligned columns start at the header's first column.
    const statusAt = displayWidth(header.slice(0, header.indexOf('STATUS')));
    for (const row of lines.slice(1)) expect(columns(row, statusAt, statusAt + 1)).toMatch(/[a-z]/);
  });

  it('marks new alerts and lists them by severity', () => {
    const lines = plain.split('\n');
    const alertLines = lines.filter((line) => /^ {2}(NEW| {3}) (critical|warning|info)/.test(line));
    expect(alertLines).toHaveLength(report.alerts.length);
    expect(alertLines[0]).toMatch(
      /^ {2}NEW critical\s+checkout-redesign\s+over budget\s+Nov 18\s+checkout-redesign is over budget/,
    );
    expect(alertLines[1]).toMatch(/^ {6}critical\s+chatbot-poc\s+expired/);
    expect(alertLines.at(-1)).toMatch(/info\s+pricing-experiment/);
    expect(plain).toContain('ALERTS  9 (5 new)');
    expect(plain).toMatch(
      /^ {2}NEW warning\s+image-tagging\s+cost per use\s+Nov 18\s+image-tagging cost \$0\.48/m,
    );
  });

  it('shows recommendations, unattributed spend, totals, warnings and API calls, in that order', () => {
    const at = (needle: string) => {
      const index = plain.indexOf(needle);
      expect(index, needle).toBeGreaterThanOrEqual(0);
      return index;
    };
    const order = [
      at('POC '),
      at('COST PER USE'),
      at('ALERTS'),
      at('RECOMMENDATIONS  2  ·  could save ~$63.11/mo'),
      at('UNATTRIBUTED  $81.15 (15% of total)'),
      at('TOTAL  $532.93 month to date  ·  $963.32 forecast for November 2026'),
      at('WARNINGS  2'),
      at('API calls: none (offline)'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(plain).toMatch(/ {2}EC2 - Other {2,}\$31\.22\n/);
    expect(plain).toContain('… 1 more service, $3.00');
    expect(plain).toContain('! late-data  Rows for 2026-11-18 are still arriving');
    expect(plain.trimEnd().split('\n').at(-1)).toBe('API calls: none (offline) · cost of this run $0.00');
  });

  it('ends with the API calls the run made and what they cost', () => {
    const online = fixtureReport();
    online.apiCalls = { 'ce:GetCostAndUsage': 3, 'cloudwatch:GetMetricData': 2, 'tag:GetResources': 0 };
    online.apiCost = parseMoney('0.0402');
    const last = (report: Report, width?: number) =>
      renderText(report, { color: false, width }).trimEnd().split('\n');
    expect(last(online).at(-1)).toBe(
      'API calls: 3 × ce:GetCostAndUsage, 2 × cloudwatch:GetMetricData · cost of this run $0.04',
    );
    // Wrapped between calls on a narrow terminal.
    expect(last(online, 60).slice(-2)).toEqual([
      'API calls: 3 × ce:GetCostAndUsage,',
      '  2 × cloudwatch:GetMetricData · cost of this run $0.04',
    ]);
    // A run that cost less than a cent does not claim it was free.
    online.apiCost = parseMoney('0.0002');
    online.apiCalls = { 'cloudwatch:GetMetricData': 1 };
    expect(last(online).at(-1)).toBe('API calls: 1 × cloudwatch:GetMetricData · cost of this run <$0.01');
  });

  it('lists recommendations with savings, resources, evidence and a holds-data marker', () => {
    const lines = plain.split('\n');
    const at = lines.findIndex((line) => line.startsWith('RECOMMENDATIONS'));
    const block = lines.slice(at, lines.indexOf('', at));
    expect(block).toEqual([
      'RECOMMENDATIONS  2  ·  could save ~$63.11/mo',
      '  chatbot-poc  expired  saves ~$37.56/mo  [rec 3f9a2c1b]',
      '    NAT gateway           nat-0f3c9a7d21e4b5a60  $32.85/mo',
      '      0 bytes sent in 14 days (AWS/NATGateway BytesOutToDestination, Sum) · idle since Nov 1',
      '    DynamoDB table        chatbot-sessions        $4.71/mo  holds data',
      '      0 reads and 0 writes in 14 days (AWS/DynamoDB ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits, Sum); 2.3 GB stored · idle since Oct 29 · cost: list-price estimate',
      '  search-relevance  idle  saves ~$25.55/mo  [rec c07e5d19]',
      '    Lambda function       rerank-v1              $10.95/mo',
      '      0 invocations in 30 days (AWS/Lambda Invocations, Sum); provisioned concurrency 2 · idle since Oct 12',
      '    API Gateway REST API  k3x9q2m7za             $14.60/mo',
      '      0 requests in 30 days (AWS/ApiGateway Count, Sum); 0.5 GB cache cluster · cost: list-price estimate',
      '  Nothing is deleted automatically: back up what holds data before removing it.',
    ]);
    const colored = renderText(report, { color: true });
    expect(colored).toContain(`${ESC}[1m${ESC}[33mholds data${ESC}[39m${ESC}[22m`);
  });

  it('leaves the recommendations section out when there are none, and says when a cost is unknown', () => {
    const none = fixtureReport();
    none.recommendations = [];
    expect(renderText(none, { color: false })).not.toContain('RECOMMENDATIONS');
    const unknown = fixtureReport();
    const resource = unknown.recommendations[1]?.resources[1];
    if (!resource) throw new Error('fixture changed');
    resource.costSource = 'unknown';
    resource.monthlyCost = 0n;
    expect(renderText(unknown, { color: false })).toMatch(
      /API Gateway REST API {2}k3x9q2m7za {2,}cost unknown\n/,
    );
  });

  it('shows the cost per use of pay-per-use PoCs, highlighted when over the maximum', () => {
    const lines = plain.split('\n');
    const at = lines.indexOf('COST PER USE');
    expect(lines.slice(at, at + 3)).toEqual([
      'COST PER USE',
      '  image-tagging  $0.48 per 1,000 invocations (max $0.40)  over the maximum  96,600 invocations and $45.90 in 30 days',
      '  invoice-ocr    $0.31 per 1,000 requests (max $0.40)  87,412 requests and $26.70 in 30 days',
    ]);
    const colored = renderText(report, { color: true });
    expect(colored).toContain(`${ESC}[1m${ESC}[31m$0.48 per 1,000 invocations (max $0.40)`);
    expect(colored).not.toContain(`${ESC}[31m$0.31`);
    const none = fixtureReport();
    for (const poc of none.pocs) delete poc.perUse;
    expect(renderText(none, { color: false })).not.toContain('COST PER USE');
  });

  it('has no ANSI codes without colour, and the same layout with colour', () => {
    expect(plain).not.toContain(ESC);
    expect(controlCharacters(plain)).toEqual([]);
    const colored = renderText(report, { color: true });
    expect(colored).toContain(`${ESC}[`);
    expect(colored).toContain('\u001b[31m'); // red for the over-budget PoC
    expect(stripAnsi(colored)).toBe(plain);
    expect(stripAnsi(renderText(report, { color: true, width: 70 }))).toBe(
      renderText(report, { color: false, width: 70 }),
    );
  });

  it('drops the sparkline below 100 columns and fits narrow terminals', () => {
    expect(table(renderText(report, { color: false, width: 100 }))[0]).toContain('DAILY');
    for (const width of [99, 80, 60]) {
      const text = renderText(report, { color: false, width });
      const lines = table(text);
      expect(lines[0]).not.toContain('DAILY');
      expect(lines.join('\n')).not.toMatch(/[▁▂▃▄▅▆▇]/);
      for (const line of lines) expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(new Set(lines.map(displayWidth)).size).toBe(1);
      // The essentials stay: every PoC, its status, spend and budget use.
      expect(lines.slice(1).map((row) => row.split(/\s{2,}/)[0])).toEqual(ORDER);
      expect(lines[1]).toContain('$152.04');
      expect(lines[1]).toContain('126%');
      // Every other line (header, alerts, warnings, totals) wraps inside the width too.
      for (const line of text.split('\n'))
        expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
  });

  it('keeps columns aligned with wide, combining and emoji characters in names', () => {
    const wide = fixtureReport();
    const names = ['検索-relevance', 'donne\u0301es', 'rocket-🚀'];
    names.forEach((name, i) => {
      const poc = wide.pocs[i];
      if (poc) poc.poc = name;
    });
    const lines = table(renderText(wide, { color: true }));
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(lines.slice(1, 4).map((row) => stripAnsi(row).split(/\s{2,}/)[0])).toEqual(names);
  });

  it('neutralises terminal escape sequences and line breaks in user strings', () => {
    const hostile: Report = fixtureReport();
    const first = hostile.pocs[0];
    if (!first) throw new Error('fixture changed');
    first.poc = 'evil\u001b[2J\u001b]0;pwned\u0007\nnext';
    const firstAlert = hostile.alerts[0];
    if (firstAlert) firstAlert.message = 'line one\nline two\u001b[31m';
    hostile.warnings[0] = { code: 'x\u001b[1m', message: 'm\r\nn' };
    const rec = hostile.recommendations[0];
    const resource = rec?.resources[0];
    if (!rec || !resource) throw new Error('fixture changed');
    rec.id = '\u001b[2Jid';
    rec.poc = 'rec\u001b]0;pwned\u0007';
    resource.arn = 'arn:aws:ec2:us-east-1:1:natgateway/nat-\u001b[31m';
    resource.type = 'ec2:\u001b[5mblink';
    resource.evidence = 'zero\nbytes\u202e';
    const text = renderText(hostile, { color: false });
    expect(controlCharacters(text)).toEqual([]);
    expect(new Set(table(text).map(displayWidth)).size).toBe(1);
    expect(text).toContain('line one line two');
    expect(text).toContain('zero bytes\uFFFD');
  });

  it('says when input was skipped', () => {
    const partial = fixtureReport();
    partial.source.partial = true;
    expect(renderText(partial, { color: false })).toContain(
      'Partial   some input was skipped: totals may be low',
    );
    expect(plain).not.toContain('Partial');
  });

  it('renders a report with nothing in it', () => {
    const empty = fixtureReport();
    empty.pocs = [];
    empty.alerts = [];
    empty.warnings = [];
    empty.unattributed = { monthToDate: 0n, services: [], daily: [] };
    empty.total = { monthToDate: 0n, forecastMonthEnd: 0n, daily: [] };
    const text = renderText(empty, { color: false, width: 80 });
    expect(text).toContain('No PoC spend in this period.');
    expect(text).toContain('No alerts.');
    expect(text).toContain('UNATTRIBUTED  $0.00');
  });

  it('uses the report currency', () => {
    const chf = fixtureReport();
    chf.currency = 'CHF';
    const first = chf.pocs[0];
    if (first) first.monthToDate = parseMoney('1234.5');
    const rows = table(renderText(chf, { color: false }));
    expect(rows[1]).toContain('1,234.50 CHF');
    expect(new Set(rows.map(displayWidth)).size).toBe(1);
  });
});
