/**
 * The markdown digest (`digest.md`, pull-request comments, CI job summaries): GitHub-flavoured
 * markdown with the same content as the terminal digest. Every user-provided string is escaped.
 */
import { type Money, moneyRatio, sumMoney } from '../core/money.js';
import type { PocReport, PocStatus, Recommendation, Report, ServiceCost, Severity } from '../core/report.js';
import { denseDaily } from './daily-series.js';
import {
  alertKindLabel,
  apiCallsLabel,
  apiCostLabel,
  bySeverity,
  costSourceLabel,
  dayLabel,
  forecastBasisLabel,
  money as formatAmount,
  signedMoney as formatSigned,
  monthLabel,
  monthlyCostLabel,
  periodRangeLabel,
  perUseBasisLabel,
  perUseLabel,
  recommendationReasonLabel,
  resourceShortId,
  resourceTypeLabel,
  shareLabel,
  shortDate,
  shortRecommendationId,
  statusLabel,
  totalSavings,
} from './format.js';
import { escapeMarkdown, markdownUrl } from './markdown-escape.js';
import { safeLinkUrl } from './safe-url.js';
import { sparkline } from './sparkline.js';
import { usageBar } from './usage-bar.js';

/** One glyph per status, so a long table can be scanned by colour and by shape. */
export const STATUS_EMOJI: Record<PocStatus, string> = {
  'over-budget': '🔴',
  warning: '🟠',
  expired: '⌛',
  unbudgeted: '🟣',
  ok: '🟢',
};

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: '**critical**',
  warning: 'warning',
  info: 'info',
};

const TOP_SERVICES = 5;
const esc = escapeMarkdown;

/** GitHub renders text between two `$` as math, so currency symbols are escaped too. */
function money(amount: Money, currency: string): string {
  return formatAmount(amount, currency).replaceAll('$', '\\$');
}

function signedMoney(amount: Money, currency: string): string {
  return formatSigned(amount, currency).replaceAll('$', '\\$');
}

/** A label built by the renderer from amounts and constant words: only its currency signs need escaping. */
function label(text: string): string {
  return text.replaceAll('$', '\\$');
}

const REASON_EMOJI: Record<Recommendation['reason'], string> = { expired: '⌛', idle: '💤' };

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function used(poc: PocReport): string {
  if (!poc.budget) return '—';
  return `\`${usageBar(poc.budgetUsed ?? moneyRatio(poc.monthToDate, poc.budget.monthly))}\``;
}

function pocTable(report: Report): string[] {
  const { currency, period } = report;
  const lines = [
    row(['PoC', 'Status', 'Spent', 'Budget', 'Used', 'Forecast', 'Δ day', 'Daily']),
    row([':--', ':--', '--:', '--:', ':--', '--:', '--:', ':--']),
  ];
  for (const poc of report.pocs) {
    const daily = denseDaily(poc.daily, period.start, period.end).map((d) => d.cost);
    lines.push(
      row([
        `**${esc(poc.poc)}**`,
        `${STATUS_EMOJI[poc.status]} ${statusLabel(poc.status)}`,
        money(poc.monthToDate, currency),
        poc.budget ? money(poc.budget.monthly, currency) : '—',
        used(poc),
        poc.forecastBasis.method === 'no-data' ? '—' : money(poc.forecastMonthEnd, currency),
        signedMoney(poc.changeSinceYesterday, currency),
        daily.length ? `\`${sparkline(daily)}\`` : '',
      ]),
    );
  }
  return lines;
}

function serviceTable(services: readonly ServiceCost[], currency: string, total: Money): string[] {
  const lines = [row(['Service', 'Cost', 'Share']), row([':--', '--:', '--:'])];
  for (const s of services.slice(0, TOP_SERVICES)) {
    lines.push(
      row([
        esc(s.service),
        money(s.cost, currency),
        total > 0n ? shareLabel(moneyRatio(s.cost, total)) : '—',
      ]),
    );
  }
  const rest = services.slice(TOP_SERVICES);
  if (rest.length > 0) {
    const restTotal = rest.reduce((sum, s) => sum + s.cost, 0n);
    lines.push(
      row([
        `*${rest.length} more*`,
        money(restTotal, currency),
        total > 0n ? shareLabel(moneyRatio(restTotal, total)) : '—',
      ]),
    );
  }
  return lines;
}

function perUseList(report: Report): string[] {
  const pocs = report.pocs.flatMap((poc) => (poc.perUse ? [{ poc, use: poc.perUse }] : []));
  if (pocs.length === 0) return [];
  const lines = ['**Cost per use**', ''];
  for (const { poc, use } of pocs) {
    const price = label(perUseLabel(use, report.currency));
    const verdict = use.breached ? `🔴 **${price}** — over the maximum` : price;
    lines.push(`- **${esc(poc.poc)}**: ${verdict} · ${label(perUseBasisLabel(use, report.currency))}`);
  }
  return [...lines, ''];
}

function recommendationSection(report: Report): string[] {
  const { currency, recommendations } = report;
  if (recommendations.length === 0) return [];
  const lines = [
    `### Recommendations (${recommendations.length}) · could save ~${money(totalSavings(recommendations), currency)}/mo`,
    '',
  ];
  for (const r of recommendations) {
    lines.push(
      `${REASON_EMOJI[r.reason]} **${esc(r.poc)}** · ${recommendationReasonLabel(r.reason)} · saves **~${money(r.estimatedMonthlySavings, currency)}/mo** · rec ${esc(shortRecommendationId(r.id))}`,
      '',
      row(['Resource', 'ID', 'Evidence', 'Idle since', 'Monthly cost', 'Data']),
      row([':--', ':--', ':--', ':--', '--:', ':--']),
    );
    for (const res of r.resources) {
      const cost = label(monthlyCostLabel(res, currency));
      const estimate = res.costSource === 'price-table' ? ` *(${costSourceLabel(res.costSource)})*` : '';
      lines.push(
        row([
          esc(resourceTypeLabel(res.type)),
          esc(resourceShortId(res.arn)),
          esc(res.evidence),
          res.idleSince ? dayLabel(res.idleSince, report.asOf) : '—',
          `${cost}${estimate}`,
          res.holdsData ? '⚠️ **holds data**' : '',
        ]),
      );
    }
    lines.push('');
  }
  lines.push('*Nothing is deleted automatically: back up what holds data before removing it.*', '');
  return lines;
}

function pocDetails(report: Report, poc: PocReport): string[] {
  const { currency } = report;
  const lines = [`#### ${STATUS_EMOJI[poc.status]} ${esc(poc.poc)}`, ''];
  if (poc.description) lines.push(`${esc(poc.description)}`, '');
  const facts: string[] = [];
  facts.push(`**Status:** ${statusLabel(poc.status)} — ${esc(poc.statusReason)}`);
  facts.push(`**Owners:** ${poc.owners.length ? poc.owners.map(esc).join(', ') : '*none*'}`);
  facts.push(
    `**Forecast:** ${money(poc.forecastMonthEnd, currency)} at month end (${forecastBasisLabel(poc.forecastBasis, currency)})`,
  );
  if (poc.budget) {
    const parts = [`${money(poc.budget.monthly, currency)} a month`];
    if (poc.budget.dailyCap !== undefined) parts.push(`daily cap ${money(poc.budget.dailyCap, currency)}`);
    if (poc.budget.total !== undefined) parts.push(`lifetime ${money(poc.budget.total, currency)}`);
    facts.push(`**Budget:** ${parts.join(', ')}`);
  }
  if (poc.lifetime) {
    const budget = poc.lifetime.budget !== undefined ? ` of ${money(poc.lifetime.budget, currency)}` : '';
    const partial = poc.lifetime.complete ? '' : ' (data does not reach back to the start)';
    facts.push(
      `**Lifetime:** ${money(poc.lifetime.cost, currency)}${budget} since ${poc.lifetime.start}${partial}`,
    );
  }
  if (poc.start || poc.expires) {
    facts.push(`**Runs:** ${poc.start ?? '?'} → ${poc.expires ?? 'no end date'}`);
  }
  if (poc.perUse) {
    const use = poc.perUse;
    const over = use.breached ? ' — **over the maximum**' : '';
    facts.push(
      `**Cost per use:** ${label(perUseLabel(use, currency))}${over}; ${label(perUseBasisLabel(use, currency))} (${esc(use.signal)})`,
    );
  }
  if (poc.accounts.length) facts.push(`**Accounts:** ${poc.accounts.map(esc).join(', ')}`);
  const services = poc.services
    .slice(0, TOP_SERVICES)
    .map((s) => `${esc(s.service)} ${money(s.cost, currency)}`)
    .join(' · ');
  if (services) facts.push(`**Top services:** ${services}`);
  const links = poc.links.map((link) => {
    const url = safeLinkUrl(link.url);
    return url
      ? `[${esc(link.title)}](${markdownUrl(url)})`
      : `${esc(link.title)} (link not shown: unsupported URL)`;
  });
  if (links.length) facts.push(`**Links:** ${links.join(' · ')}`);
  if (poc.policyFile) facts.push(`**Policy:** ${esc(poc.policyFile)}`);
  lines.push(...facts.map((fact) => `- ${fact}`), '');
  return lines;
}

export function renderMarkdown(report: Report): string {
  const { currency, period, source, total, unattributed } = report;
  const out: string[] = [];
  const month = monthLabel(period);
  out.push(`## PoC costs · ${month}`, '');

  const estimated = source.estimated ? ' (includes estimated figures)' : '';
  out.push(
    `**${periodRangeLabel(period)}** · as of ${report.asOf} · source: ${esc(source.kind)} — ${esc(source.description)}${estimated} · ${esc(currency)} · PoCs by tag “${esc(report.tagKey)}”`,
    '',
  );

  if (source.partial) {
    out.push('> [!WARNING]', '> Some input was skipped (see the warnings below): totals may be low.', '');
  }

  const alerts = bySeverity(report.alerts);
  const fresh = alerts.filter((a) => a.new).length;
  const unattributedShare =
    total.monthToDate > 0n ? ` (${shareLabel(moneyRatio(unattributed.monthToDate, total.monthToDate))})` : '';
  out.push(
    row(['Spent this month', `Forecast for ${month}`, 'Unattributed', 'Alerts']),
    row(['--:', '--:', '--:', '--:']),
    row([
      `**${money(total.monthToDate, currency)}**`,
      `**${money(total.forecastMonthEnd, currency)}**`,
      `${money(unattributed.monthToDate, currency)}${unattributedShare}`,
      `${alerts.length} (${fresh} new)`,
    ]),
    '',
  );

  if (report.pocs.length === 0) {
    out.push('*No PoC spend in this period.*', '');
  } else {
    out.push(...pocTable(report), '');
    out.push(...perUseList(report));
  }

  out.push(`### Alerts (${alerts.length}, ${fresh} new)`, '');
  if (alerts.length === 0) out.push('*No alerts.*');
  for (const a of alerts) {
    const marker = a.new ? '🆕 ' : '';
    out.push(
      `- ${marker}${SEVERITY_LABEL[a.severity]} · **${esc(a.poc)}** · ${alertKindLabel(a.kind)} · ${shortDate(a.date)} — ${esc(a.message)}`,
    );
  }
  out.push('');

  out.push(...recommendationSection(report));

  out.push(`### Unattributed spend: ${money(unattributed.monthToDate, currency)}${unattributedShare}`, '');
  out.push(`Spend without a “${esc(report.tagKey)}” tag.`, '');
  if (unattributed.services.length > 0) {
    out.push(...serviceTable(unattributed.services, currency, unattributed.monthToDate), '');
  }

  const pocMtd = sumMoney(report.pocs.map((poc) => poc.monthToDate));
  const pocForecast = sumMoney(report.pocs.map((poc) => poc.forecastMonthEnd));
  out.push('### Totals', '');
  out.push(
    row(['', 'Month to date', 'Forecast, month end']),
    row([':--', '--:', '--:']),
    row([`PoCs (${report.pocs.length})`, money(pocMtd, currency), money(pocForecast, currency)]),
    row(['Unattributed', money(unattributed.monthToDate, currency), '']),
    row([
      '**Total**',
      `**${money(total.monthToDate, currency)}**`,
      `**${money(total.forecastMonthEnd, currency)}**`,
    ]),
    '',
  );

  if (report.warnings.length > 0) {
    out.push(`### Warnings (${report.warnings.length})`, '');
    for (const w of report.warnings) {
      const where = w.where ? ` (${esc(w.where)})` : '';
      const skipped = w.partial ? ' *(input skipped)*' : '';
      out.push(`- ⚠️ **${esc(w.code)}**: ${esc(w.message)}${where}${skipped}`);
    }
    out.push('');
  }

  if (report.pocs.length > 0) {
    out.push('<details>', '<summary>PoC details</summary>', '');
    for (const poc of report.pocs) out.push(...pocDetails(report, poc));
    out.push('</details>', '');
  }

  const calls = apiCallsLabel(
    Object.fromEntries(Object.entries(report.apiCalls).map(([op, n]) => [esc(op), n])),
  );
  const cost = label(apiCostLabel(report.apiCost, currency));
  out.push(
    `<sub>Generated ${esc(report.generatedAt)} by pocketwatch · API calls: ${calls} · cost of this run ${cost}</sub>`,
  );
  return `${out.join('\n')}\n`;
}
