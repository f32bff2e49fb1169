/**
 * The terminal digest: what `pocketwatch run` prints. Plain text unless `color` is set (the caller
 * decides from TTY / NO_COLOR / --color); `width` is the terminal width, when known.
 */
import { moneyRatio } from '../core/money.js';
import type {
  Alert,
  PocReport,
  PocStatus,
  Recommendation,
  Report,
  ServiceCost,
  Severity,
} from '../core/report.js';
import { type Painter, painter } from './ansi.js';
import { cleanText } from './clean-text.js';
import { denseDaily } from './daily-series.js';
import {
  alertKindLabel,
  apiCallsLabel,
  apiCostLabel,
  bySeverity,
  costSourceLabel,
  dayLabel,
  money,
  monthLabel,
  monthlyCostLabel,
  periodRangeLabel,
  perUseBasisLabel,
  perUseLabel,
  recommendationReasonLabel,
  resourceShortId,
  resourceTypeLabel,
  roundsToZero,
  shareLabel,
  shortDate,
  shortRecommendationId,
  signedMoney,
  statusLabel,
  totalSavings,
} from './format.js';
import { sparkline } from './sparkline.js';
import { layoutTable, type TextColumn, tableWidth } from './text-table.js';
import { displayWidth, padEndDisplay, padStartDisplay, truncateDisplay } from './text-width.js';
import { usageBar } from './usage-bar.js';

export interface TextOptions {
  /** Emit ANSI colour codes. */
  color: boolean;
  /** Terminal width in columns; unlimited when absent. Below 100 the sparkline column is left out. */
  width?: number;
}

/** Below this width the daily sparkline column is dropped. */
export const SPARKLINE_MIN_WIDTH = 100;
const NAME_MAX = 32;
const NAME_MIN = 12;
const TOP_SERVICES = 5;

function statusPaint(p: Painter, status: PocStatus): (text: string) => string {
  switch (status) {
    case 'over-budget':
      return (text) => p.bold(p.red(text));
    case 'warning':
      return p.yellow;
    case 'expired':
      return p.magenta;
    case 'unbudgeted':
      return p.cyan;
    case 'ok':
      return p.green;
  }
}

function severityPaint(p: Painter, severity: Severity): (text: string) => string {
  switch (severity) {
    case 'critical':
      return (text) => p.bold(p.red(text));
    case 'warning':
      return p.yellow;
    case 'info':
      return p.blue;
  }
}

function bar(p: Painter, poc: PocReport): string {
  if (!poc.budget) return p.dim('no budget');
  const used = poc.budgetUsed ?? moneyRatio(poc.monthToDate, poc.budget.monthly);
  const text = usageBar(used);
  const paint = used > 1 ? p.red : used >= 0.8 ? p.yellow : p.green;
  // Colour the filled cells and the marker; keep the empty cells and the percentage readable.
  const match = /^(█*)(░*)(▶?)( .*)$/.exec(text);
  if (!match || !p.enabled) return text;
  const [, full = '', empty = '', marker = '', label = ''] = match;
  return paint(full) + p.dim(empty) + paint(marker) + label;
}

function pocTable(report: Report, p: Painter, width: number | undefined): string[] {
  const { pocs, currency, period } = report;
  const names = pocs.map((poc) => cleanText(poc.poc));
  const nameColumn = (max: number): TextColumn => ({
    header: 'POC',
    align: 'left',
    cells: names.map((name) => truncateDisplay(name, max)),
  });
  const columns: { key: string; column: TextColumn }[] = [
    { key: 'name', column: nameColumn(NAME_MAX) },
    {
      key: 'status',
      column: {
        header: 'STATUS',
        align: 'left',
        cells: pocs.map((poc) => statusPaint(p, poc.status)(statusLabel(poc.status))),
      },
    },
    {
      key: 'mtd',
      column: { header: 'SPENT', align: 'right', cells: pocs.map((poc) => money(poc.monthToDate, currency)) },
    },
    {
      key: 'budget',
      column: {
        header: 'BUDGET',
        align: 'right',
        cells: pocs.map((poc) => (poc.budget ? money(poc.budget.monthly, currency) : p.dim('—'))),
      },
    },
    { key: 'used', column: { header: 'USED', align: 'left', cells: pocs.map((poc) => bar(p, poc)) } },
    {
      key: 'forecast',
      column: {
        header: 'FORECAST',
        align: 'right',
        cells: pocs.map((poc) => {
          const text = money(poc.forecastMonthEnd, currency);
          if (poc.forecastBasis.method === 'no-data') return p.dim('—');
          return poc.budget && poc.forecastMonthEnd > poc.budget.monthly ? p.red(text) : text;
        }),
      },
    },
    {
      key: 'change',
      column: {
        header: 'Δ DAY',
        align: 'right',
        cells: pocs.map((poc) => {
          const text = signedMoney(poc.changeSinceYesterday, currency);
          return roundsToZero(poc.changeSinceYesterday) ? p.dim(text) : text;
        }),
      },
    },
    {
      key: 'spark',
      column: {
        header: 'DAILY',
        align: 'left',
        cells: pocs.map((poc) =>
          p.cyan(sparkline(denseDaily(poc.daily, period.start, period.end).map((d) => d.cost))),
        ),
      },
    },
  ];

  let shown = columns;
  if (width !== undefined) {
    if (width < SPARKLINE_MIN_WIDTH) shown = shown.filter((c) => c.key !== 'spark');
    const fits = () => tableWidth(shown.map((c) => c.column)) <= width;
    const drop = (key: string) => {
      if (!fits()) shown = shown.filter((c) => c.key !== key);
    };
    const shortenNames = (floor: number) => {
      for (let max = NAME_MAX - 1; !fits() && max >= floor; max--) {
        shown = shown.map((c) => (c.key === 'name' ? { key: 'name', column: nameColumn(max) } : c));
      }
    };
    // Narrow terminals give up the least essential columns first; names are shortened only when
    // dropping the day-over-day change and the budget (the bar still shows its use) is not enough.
    drop('change');
    drop('budget');
    shortenNames(20);
    drop('forecast');
    shortenNames(NAME_MIN);
  }
  return layoutTable(
    shown.map((c) => c.column),
    (text) => p.bold(text),
  );
}

function statusSummary(report: Report): string[] {
  const counts = new Map<PocStatus, number>();
  for (const poc of report.pocs) counts.set(poc.status, (counts.get(poc.status) ?? 0) + 1);
  const order: PocStatus[] = ['over-budget', 'expired', 'warning', 'unbudgeted', 'ok'];
  const parts = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${statusLabel(s)}`);
  const n = report.pocs.length;
  const head = `${n} PoC${n === 1 ? '' : 's'}${parts.length ? ':' : ''}`;
  return [head, ...parts.map((part, i) => (i < parts.length - 1 ? `${part},` : part))];
}

/**
 * Joins parts (each kept whole, so its colour codes stay balanced) with `gap`, starting a new line
 * indented by `indent` whenever the next part would pass `width`.
 */
function flow(parts: readonly string[], width: number | undefined, indent: string, gap = '  '): string[] {
  if (width === undefined) return [parts.join(gap)];
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line && displayWidth(line + gap + part) > width) {
      lines.push(line);
      line = indent + part;
    } else {
      line = line ? line + gap + part : part;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Greedy word wrap of plain text. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && displayWidth(line) + 1 + displayWidth(word) > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function alertLines(report: Report, p: Painter, width: number | undefined): string[] {
  const alerts = bySeverity(report.alerts);
  const fresh = alerts.filter((a) => a.new).length;
  const lines = [`${p.bold('ALERTS')}  ${alerts.length}${alerts.length ? ` (${fresh} new)` : ''}`];
  if (alerts.length === 0) {
    lines.push(p.dim('  No alerts.'));
    return lines;
  }
  const pocWidth = Math.min(NAME_MAX, Math.max(...alerts.map((a) => displayWidth(cleanText(a.poc)))));
  const kindWidth = Math.max(...alerts.map((a) => displayWidth(alertKindLabel(a.kind))));
  const head = (a: Alert): string => {
    const marker = a.new ? p.bold(p.cyan('NEW')) : '   ';
    const severity = severityPaint(p, a.severity)(a.severity.padEnd(8));
    const poc = padEndDisplay(truncateDisplay(cleanText(a.poc), pocWidth), pocWidth);
    const kind = padEndDisplay(alertKindLabel(a.kind), kindWidth);
    return `  ${marker} ${severity}  ${a.new ? poc : p.dim(poc)}  ${p.dim(kind)}  ${p.dim(shortDate(a.date).padEnd(6))}`;
  };
  for (const alert of alerts) {
    const message = cleanText(alert.message);
    const first = head(alert);
    const oneLine = `${first}  ${message}`;
    if (width === undefined || displayWidth(oneLine) <= width) {
      lines.push(oneLine);
      continue;
    }
    lines.push(first.trimEnd());
    for (const part of wrap(message, Math.max(20, width - 8))) lines.push(`        ${part}`);
  }
  return lines;
}

function serviceLines(
  services: readonly ServiceCost[],
  currency: string,
  p: Painter,
  width: number | undefined,
): string[] {
  const top = services.slice(0, TOP_SERVICES);
  const nameMax = width === undefined ? 48 : Math.max(NAME_MIN, Math.min(48, width - 20));
  const names = top.map((s) => truncateDisplay(cleanText(s.service), nameMax));
  const amounts = top.map((s) => money(s.cost, currency));
  const nameWidth = Math.max(0, ...names.map(displayWidth));
  const amountWidth = Math.max(0, ...amounts.map(displayWidth));
  const lines = names.map(
    (name, i) => `  ${padEndDisplay(name, nameWidth)}  ${(amounts[i] ?? '').padStart(amountWidth)}`,
  );
  const rest = services.slice(TOP_SERVICES);
  if (rest.length > 0) {
    const restTotal = rest.reduce((sum, s) => sum + s.cost, 0n);
    lines.push(
      p.dim(`  … ${rest.length} more service${rest.length === 1 ? '' : 's'}, ${money(restTotal, currency)}`),
    );
  }
  return lines;
}

/** Pay-per-use budgets under the PoC table: cost per unit of use against the maximum. */
function perUseLines(report: Report, p: Painter, width: number | undefined): string[] {
  const pocs = report.pocs.flatMap((poc) => (poc.perUse ? [{ poc, use: poc.perUse }] : []));
  if (pocs.length === 0) return [];
  const names = pocs.map(({ poc }) => truncateDisplay(cleanText(poc.poc), NAME_MAX));
  const nameWidth = Math.max(...names.map(displayWidth));
  const lines = [p.bold('COST PER USE')];
  pocs.forEach(({ use }, i) => {
    const label = perUseLabel(use, report.currency);
    const first = `  ${padEndDisplay(names[i] ?? '', nameWidth)}  ${use.breached ? p.bold(p.red(label)) : label}`;
    const parts = use.breached ? [first, p.bold(p.red('over the maximum'))] : [first];
    parts.push(p.dim(perUseBasisLabel(use, report.currency)));
    lines.push(...flow(parts, width, '    '));
  });
  return lines;
}

function recommendationLines(report: Report, p: Painter, width: number | undefined): string[] {
  const recommendations = report.recommendations;
  if (recommendations.length === 0) return [];
  const savings = money(totalSavings(recommendations), report.currency);
  const lines = flow(
    [`${p.bold('RECOMMENDATIONS')}  ${recommendations.length}`, p.green(`could save ~${savings}/mo`)],
    width,
    '  ',
    '  ·  ',
  );
  const idMax = width === undefined ? 48 : Math.max(NAME_MIN, Math.min(48, width - 12));
  const cells = (r: Recommendation) =>
    r.resources.map((res) => ({
      type: truncateDisplay(cleanText(resourceTypeLabel(res.type)), 24),
      id: truncateDisplay(cleanText(resourceShortId(res.arn)), idMax),
      cost: monthlyCostLabel(res, report.currency),
    }));
  const all = recommendations.flatMap(cells);
  const widths = {
    type: Math.max(0, ...all.map((c) => displayWidth(c.type))),
    id: Math.max(0, ...all.map((c) => displayWidth(c.id))),
    cost: Math.max(0, ...all.map((c) => displayWidth(c.cost))),
  };
  const rows = recommendations.map((r) =>
    cells(r).map((cell, i) => {
      const data = r.resources[i]?.holdsData ? p.bold(p.yellow('holds data')) : '';
      const aligned = `    ${padEndDisplay(cell.type, widths.type)}  ${padEndDisplay(cell.id, widths.id)}  ${padStartDisplay(cell.cost, widths.cost)}${data ? `  ${data}` : ''}`;
      return { aligned, parts: [`    ${cell.type}`, cell.id, cell.cost, ...(data ? [data] : [])] };
    }),
  );
  // One layout for every resource: aligned columns when all rows fit, otherwise each row wraps.
  const aligned = width === undefined || rows.flat().every((row) => displayWidth(row.aligned) <= width);
  const noteWidth = width === undefined ? Number.POSITIVE_INFINITY : Math.max(20, width - 6);
  recommendations.forEach((r, ri) => {
    lines.push(...recommendationHead(r, report, p, width));
    r.resources.forEach((res, i) => {
      const row = rows[ri]?.[i];
      if (row) lines.push(...(aligned ? [row.aligned] : flow(row.parts, width, '      ')));
      const notes = [cleanText(res.evidence)];
      if (res.idleSince) notes.push(`idle since ${dayLabel(res.idleSince, report.asOf)}`);
      if (res.costSource === 'price-table') notes.push(`cost: ${costSourceLabel(res.costSource)}`);
      for (const part of wrap(notes.join(' · '), noteWidth)) lines.push(p.dim(`      ${part}`));
    });
  });
  const note = 'Nothing is deleted automatically: back up what holds data before removing it.';
  for (const part of wrap(note, width === undefined ? Number.POSITIVE_INFINITY : Math.max(20, width - 2)))
    lines.push(p.dim(`  ${part}`));
  return lines;
}

/** "chatbot-poc  expired  saves ~$32.85/mo  [rec 3f9a2c1b]". */
function recommendationHead(
  r: Recommendation,
  report: Report,
  p: Painter,
  width: number | undefined,
): string[] {
  const reason = recommendationReasonLabel(r.reason);
  return flow(
    [
      `  ${p.bold(truncateDisplay(cleanText(r.poc), NAME_MAX))}`,
      r.reason === 'expired' ? p.magenta(reason) : p.cyan(reason),
      `saves ~${money(r.estimatedMonthlySavings, report.currency)}/mo`,
      p.dim(`[rec ${cleanText(shortRecommendationId(r.id))}]`),
    ],
    width,
    '    ',
  );
}

/** "API calls: 3 × ce:GetCostAndUsage, … · cost of this run $0.04", wrapped between calls. */
function apiCallsLines(report: Report, p: Painter, width: number | undefined): string[] {
  const calls = Object.entries(report.apiCalls).filter(([, count]) => count > 0);
  const items = calls.length
    ? calls.map(([op, n], i) => `${apiCallsLabel({ [cleanText(op)]: n })}${i < calls.length - 1 ? ',' : ''}`)
    : [apiCallsLabel({})];
  const cost = `· cost of this run ${apiCostLabel(report.apiCost, report.currency)}`;
  const parts = [`API calls: ${items[0] ?? ''}`, ...items.slice(1), cost];
  return flow(parts, width, '  ', ' ').map((line) => p.dim(line));
}

export function renderText(report: Report, options: TextOptions): string {
  const p = painter(options.color);
  const width = options.width;
  const { currency, period, source } = report;
  const out: string[] = [];

  out.push(...flow([p.bold(`PoC costs · ${monthLabel(period)}`), p.dim(`as of ${report.asOf}`)], width, ''));
  const label = (text: string) => p.dim(text.padEnd(10));
  out.push(`  ${label('Period')}${periodRangeLabel(period)}`);
  const estimated = source.estimated ? p.yellow('(includes estimated figures)') : '';
  const sourceParts = [`  ${label('Source')}${cleanText(source.kind)}: ${cleanText(source.description)}`];
  if (estimated) sourceParts.push(estimated);
  out.push(...flow(sourceParts, width, ' '.repeat(12), ' '));
  if (source.coverage) out.push(`  ${label('Data')}${source.coverage.first} → ${source.coverage.last}`);
  if (source.partial) {
    out.push(
      `  ${label('Partial')}${p.bold(p.red('some input was skipped: totals may be low'))} (see warnings)`,
    );
  }
  out.push(`  ${label('Currency')}${cleanText(currency)} · PoCs by tag "${cleanText(report.tagKey)}"`);
  out.push('');

  if (report.pocs.length === 0) {
    out.push(p.dim('No PoC spend in this period.'));
  } else {
    out.push(...pocTable(report, p, width));
    out.push(...flow(statusSummary(report), width, '  ', ' ').map((line) => p.dim(line)));
    const perUse = perUseLines(report, p, width);
    if (perUse.length) out.push('', ...perUse);
  }
  out.push('');

  out.push(...alertLines(report, p, width));
  out.push('');

  const recommendations = recommendationLines(report, p, width);
  if (recommendations.length) out.push(...recommendations, '');

  const { unattributed, total } = report;
  const share =
    total.monthToDate > 0n
      ? ` (${shareLabel(moneyRatio(unattributed.monthToDate, total.monthToDate))} of total)`
      : '';
  out.push(
    ...flow(
      [
        `${p.bold('UNATTRIBUTED')}  ${money(unattributed.monthToDate, currency)}${share}`,
        p.dim(`spend without a "${cleanText(report.tagKey)}" tag`),
      ],
      width,
      '  ',
    ),
  );
  out.push(...serviceLines(unattributed.services, currency, p, width));
  out.push('');

  out.push(
    ...flow(
      [
        `${p.bold('TOTAL')}  ${money(total.monthToDate, currency)} month to date`,
        `${money(total.forecastMonthEnd, currency)} forecast for ${monthLabel(period)}`,
      ],
      width,
      '       ',
      '  ·  ',
    ),
  );

  if (report.warnings.length > 0) {
    out.push('');
    out.push(`${p.bold('WARNINGS')}  ${report.warnings.length}`);
    for (const w of report.warnings) {
      const where = (w.where ? ` (${cleanText(w.where)})` : '') + (w.partial ? ' [input skipped]' : '');
      const code = cleanText(w.code);
      const message = cleanText(w.message);
      const line = `  ! ${code}  ${message}${where}`;
      if (width === undefined || displayWidth(line) <= width) {
        out.push(`  ${p.yellow('!')} ${p.dim(code)}  ${message}${p.dim(where)}`);
        continue;
      }
      out.push(`  ${p.yellow('!')} ${p.dim(code)}`);
      for (const part of wrap(`${message}${where}`, Math.max(20, width - 4))) out.push(`    ${part}`);
    }
  }
  out.push('');
  out.push(...apiCallsLines(report, p, width));
  return `${out.join('\n')}\n`;
}
