/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no external request)
 * meant to be opened from disk, attached to a ticket or printed. Every user string goes through the
 * escaping `html` template; links are kept only for http(s)/mailto URLs, and a Content-Security-Policy
 * forbids scripts and remote loads even if something slipped through.
 */
import { addDaysIso, daysBetween } from '../core/calendar.js';
import { type Money, maxMoney, moneyRatio, sumMoney } from '../core/money.js';
import type {
  Alert,
  PocReport,
  PocStatus,
  Recommendation,
  RecommendedResource,
  Report,
  ServiceCost,
} from '../core/report.js';
import { denseDaily, type SeriesDay } from './daily-series.js';
import {
  alertKindLabel,
  apiCallsLabel,
  apiCostLabel,
  bySeverity,
  costSourceLabel,
  countLabel,
  dayLabel,
  forecastBasisLabel,
  money,
  monthLabel,
  percentLabel,
  periodRangeLabel,
  perUnitLabel,
  perUseBasisLabel,
  perUseUnit,
  plural,
  resourceShortId,
  resourceTypeLabel,
  roundsToZero,
  shareLabel,
  shortDate,
  shortRecommendationId,
  signedMoney,
  totalSavings,
  unitPrice,
} from './format.js';
import { type Html, html, trustedHtml } from './html.js';
import { REPORT_CSS } from './html-styles.js';
import { safeLinkUrl } from './safe-url.js';
import { costChart, dailyBarsChart, SERIES_PALETTE, type ShareSegment, shareChart } from './svg-charts.js';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
const TOP_SERVICES = 6;

const STATUS_TITLES: Record<PocStatus, string> = {
  'over-budget': 'Over budget',
  warning: 'Warning',
  expired: 'Expired',
  unbudgeted: 'Unbudgeted',
  ok: 'On track',
};

function badge(status: PocStatus): Html {
  return html`<span class="badge status-${status}" data-status="${status}">${STATUS_TITLES[status]}</span>`;
}

/** A stable, unique element id for a PoC: its position plus an ASCII slug of its name. */
function pocId(poc: string, index: number): string {
  const slug = poc
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `poc-${index + 1}${slug ? `-${slug}` : ''}`;
}

function usedOf(poc: PocReport): number | undefined {
  if (!poc.budget) return undefined;
  return poc.budgetUsed ?? moneyRatio(poc.monthToDate, poc.budget.monthly);
}

function meter(used: number): Html {
  const width = Math.max(0, Math.min(100, used * 100));
  const tone = used > 1 ? ' over' : used >= 0.8 ? ' high' : '';
  return html`<span class="used"><span class="meter${tone}" aria-hidden="true"><span style="width:${Math.round(width * 10) / 10}%"></span></span><span class="num">${percentLabel(used)}</span></span>`;
}

function changeCell(amount: Money, currency: string): Html {
  const tone = roundsToZero(amount) ? 'muted' : amount > 0n ? 'up' : 'down';
  return html`<span class="num ${tone}">${signedMoney(amount, currency)}</span>`;
}

function link(title: string, url: string): Html {
  const safe = safeLinkUrl(url);
  if (!safe)
    return html`<span class="unsafe-link" title="Not linked: only http, https and mailto URLs are">${title} (link not shown)</span>`;
  return html`<a href="${safe}" rel="noopener noreferrer">${title}</a>`;
}

// ---------------------------------------------------------------- page sections

function pageHeader(report: Report): Html {
  const { period, source } = report;
  const coverage = source.coverage ? `${source.coverage.first} → ${source.coverage.last}` : undefined;
  return html`<header class="page-header"><div class="wrap">
<div class="brand"><svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><circle cx="8" cy="9" r="6" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M8 9V5.5M6.5 1.5h3" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>pocketwatch</div>
<h1>PoC costs · ${monthLabel(period)}</h1>
<dl class="meta">
<div><dt>Period</dt><dd>${periodRangeLabel(period)}</dd></div>
<div><dt>As of</dt><dd><time datetime="${report.asOf}">${report.asOf}</time></dd></div>
<div><dt>Source</dt><dd>${source.kind}: ${source.description}${source.estimated ? html` <span class="estimated">· includes estimated figures</span>` : false}</dd></div>
${coverage ? html`<div><dt>Data</dt><dd>${coverage}</dd></div>` : false}
${source.partial ? html`<div><dt>Partial</dt><dd class="estimated">some input was skipped</dd></div>` : false}
<div><dt>Currency</dt><dd>${report.currency}</dd></div>
<div><dt>Tag</dt><dd>${report.tagKey}</dd></div>
</dl>
</div></header>`;
}

function summaryCards(report: Report): Html {
  const { currency, total, unattributed, period } = report;
  const alerts = report.alerts;
  const fresh = alerts.filter((a) => a.new).length;
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  const overForecast = report.pocs.filter((p) => p.budget && p.forecastMonthEnd > p.budget.monthly).length;
  const budgets = sumMoney(report.pocs.flatMap((p) => (p.budget ? [p.budget.monthly] : [])));
  const share =
    total.monthToDate > 0n ? shareLabel(moneyRatio(unattributed.monthToDate, total.monthToDate)) : '0%';
  const n = report.pocs.length;
  const savings = savingsCard(report);
  return html`<section aria-labelledby="summary-heading">
<h2 id="summary-heading" class="sr-only">Summary</h2>
<div class="summary cols-${savings ? 5 : 4}">
<article class="card stat tone-accent" data-testid="summary-mtd"><h3>Spent this month</h3><p class="value num">${money(total.monthToDate, currency)}</p><p>${periodRangeLabel(period)} · ${n} PoC${n === 1 ? '' : 's'} and untagged spend</p></article>
<article class="card stat ${overForecast ? 'tone-red' : 'tone-accent'}" data-testid="summary-forecast"><h3>Forecast, month end</h3><p class="value num">${money(total.forecastMonthEnd, currency)}</p><p>${overForecast ? html`<span class="flag">${overForecast} PoC${overForecast === 1 ? '' : 's'} on course to exceed budget</span>` : 'All budgeted PoCs on course'} · budgets ${money(budgets, currency)}</p></article>
<article class="card stat ${unattributed.monthToDate > 0n ? 'tone-amber' : 'tone-slate'}" data-testid="summary-unattributed"><h3>Unattributed</h3><p class="value num">${money(unattributed.monthToDate, currency)}</p><p>${share} of spend has no “${report.tagKey}” tag</p></article>
<article class="card stat ${critical ? 'tone-red' : alerts.length ? 'tone-amber' : 'tone-slate'}" data-testid="summary-alerts"><h3>Alerts</h3><p class="value num">${alerts.length}</p><p>${fresh} new · ${critical} critical</p></article>
${savings}
</div>
</section>`;
}

/** "Idle savings available": only when there is something to tear down. */
function savingsCard(report: Report): Html | false {
  const recommendations = report.recommendations;
  if (recommendations.length === 0) return false;
  const resources = recommendations.reduce((sum, r) => sum + r.resources.length, 0);
  const pocs = new Set(recommendations.map((r) => r.poc)).size;
  return html`<article class="card stat tone-green" data-testid="summary-savings"><h3>Idle savings available</h3><p class="value num">~${money(totalSavings(recommendations), report.currency)}<span class="unit">/mo</span></p><p><a href="#recommendations-heading">${plural(resources, 'resource')} in ${plural(pocs, 'PoC')}</a> could be torn down</p></article>`;
}

interface ShareEntry {
  segment: ShareSegment;
  poc?: PocReport;
}

/** PoCs by spend (largest first, one palette colour each, the rest grouped), then unattributed. */
function shareEntries(report: Report): ShareEntry[] {
  const ranked = [...report.pocs]
    .filter((p) => p.monthToDate > 0n)
    .sort((a, b) => (a.monthToDate < b.monthToDate ? 1 : a.monthToDate > b.monthToDate ? -1 : 0));
  const fits = ranked.length <= SERIES_PALETTE.length;
  const own = fits ? ranked : ranked.slice(0, SERIES_PALETTE.length - 1);
  const rest = fits ? [] : ranked.slice(SERIES_PALETTE.length - 1);
  const entries: ShareEntry[] = own.map((poc, i) => ({
    poc,
    segment: { label: poc.poc, amount: poc.monthToDate, className: `series-${i}` },
  }));
  if (rest.length > 0) {
    entries.push({
      segment: {
        label: `${rest.length} other PoCs`,
        amount: sumMoney(rest.map((p) => p.monthToDate)),
        className: 'series-other',
      },
    });
  }
  if (report.unattributed.monthToDate > 0n) {
    entries.push({
      segment: {
        label: 'Unattributed',
        amount: report.unattributed.monthToDate,
        className: 'series-unattributed',
      },
    });
  }
  return entries;
}

function shareSection(report: Report, ids: Map<PocReport, string>): Html {
  const { currency } = report;
  const entries = shareEntries(report);
  const total = sumMoney(entries.map((e) => e.segment.amount));
  const shareOf = (amount: Money) => (total > 0n ? shareLabel(moneyRatio(amount, total)) : '—');
  const biggest = entries[0];
  const description = biggest
    ? `Month-to-date spend of ${money(total, currency)} split by PoC. ${entries.map((e) => `${e.segment.label} ${money(e.segment.amount, currency)} (${shareOf(e.segment.amount)})`).join('; ')}.`
    : 'No spend in this period.';
  const chart = shareChart({
    id: 'share-chart',
    dataChart: 'share',
    label: `Share of spend, ${monthLabel(report.period)}`,
    description,
    segments: entries.map((e) => e.segment),
    currency,
  });
  const omitted = report.pocs.filter((p) => p.monthToDate <= 0n).length;
  const legend = entries.map((e) => {
    const id = e.poc ? ids.get(e.poc) : undefined;
    const name = id ? html`<a href="#${id}">${e.segment.label}</a>` : e.segment.label;
    return html`<li data-testid="share-legend-item"><span class="swatch ${e.segment.className}" aria-hidden="true"></span><span class="name">${name}</span><span class="num">${money(e.segment.amount, currency)}</span><span class="num share">${shareOf(e.segment.amount)}</span></li>`;
  });
  const rows = entries.map(
    (e) =>
      html`<tr><th scope="row">${e.segment.label}</th><td class="num">${money(e.segment.amount, currency)}</td><td class="num">${shareOf(e.segment.amount)}</td></tr>`,
  );
  return html`<section aria-labelledby="share-heading">
<div class="section-head"><h2 id="share-heading">Share of spend</h2><p>Month to date, ${money(total, currency)}${omitted ? ` · ${omitted} PoC${omitted === 1 ? '' : 's'} without positive spend not shown` : ''}</p></div>
<div class="card panel">
<figure>${chart}<figcaption class="sr-only">Share of month-to-date spend by PoC</figcaption></figure>
<ul class="legend-list">${legend}</ul>
<details><summary>Data table</summary><div class="table-scroll"><table><caption>Share of spend, month to date</caption><thead><tr><th scope="col">Spend</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Share</th></tr></thead><tbody>${rows}</tbody></table></div></details>
</div>
</section>`;
}

function overviewSection(report: Report, ids: Map<PocReport, string>): Html {
  const { currency } = report;
  const alertCount = (poc: string) => report.alerts.filter((a) => a.poc === poc).length;
  const rows = report.pocs.map((poc) => {
    const used = usedOf(poc);
    const over = poc.budget !== undefined && poc.forecastMonthEnd > poc.budget.monthly;
    return html`<tr data-testid="poc-row" data-poc="${poc.poc}">
<th scope="row"><a href="#${ids.get(poc) ?? ''}">${poc.poc}</a></th>
<td>${badge(poc.status)}</td>
<td class="num">${money(poc.monthToDate, currency)}</td>
<td class="num">${poc.budget ? money(poc.budget.monthly, currency) : html`<span class="muted">—</span>`}</td>
<td>${used !== undefined ? meter(used) : html`<span class="muted">no budget</span>`}</td>
<td class="num${over ? ' up' : ''}">${poc.forecastBasis.method === 'no-data' ? '—' : money(poc.forecastMonthEnd, currency)}</td>
<td class="num">${changeCell(poc.changeSinceYesterday, currency)}</td>
<td class="num">${alertCount(poc.poc) || html`<span class="muted">0</span>`}</td>
</tr>`;
  });
  const body = report.pocs.length
    ? html`<div class="table-scroll"><table class="overview"><thead><tr><th scope="col">PoC</th><th scope="col">Status</th><th scope="col" class="num">Spent</th><th scope="col" class="num">Budget</th><th scope="col">Used</th><th scope="col" class="num">Forecast</th><th scope="col" class="num">Since yesterday</th><th scope="col" class="num">Alerts</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="empty">No PoC spend in this period.</p>`;
  return html`<section aria-labelledby="overview-heading">
<div class="section-head"><h2 id="overview-heading">PoCs</h2><p>Highest risk first</p></div>
<div class="card panel">${body}</div>
</section>`;
}

function alertItem(alert: Alert, ids: Map<string, string>, currency: string, compact: boolean): Html {
  const id = ids.get(alert.poc);
  const poc = id ? html`<a href="#${id}">${alert.poc}</a>` : alert.poc;
  const figures =
    alert.amount !== undefined && alert.limit !== undefined
      ? ` (${money(alert.amount, currency)} against ${money(alert.limit, currency)})`
      : '';
  if (compact) {
    return html`<li data-testid="poc-alert"><span class="sev sev-${alert.severity}">${alert.severity}</span><span>${alert.new ? html`<span class="new">NEW</span> ` : false}${alert.message}</span></li>`;
  }
  return html`<li class="${alert.new ? 'fresh' : 'old'}" data-testid="alert" data-alert-id="${alert.id}" data-new="${alert.new ? 'true' : 'false'}">
<span class="sev sev-${alert.severity}">${alert.severity}</span>
<div class="head">${alert.new ? html`<span class="new">NEW</span>` : false}<strong>${poc}</strong><span>${alertKindLabel(alert.kind)}</span><span>·</span><time datetime="${alert.date}">${shortDate(alert.date)}</time></div>
<p class="msg">${alert.message}<span class="sr-only">${figures}</span></p>
</li>`;
}

function alertsSection(report: Report, ids: Map<string, string>): Html {
  const alerts = bySeverity(report.alerts);
  const fresh = alerts.filter((a) => a.new).length;
  const body = alerts.length
    ? html`<ol class="alert-list">${alerts.map((a) => alertItem(a, ids, report.currency, false))}</ol>`
    : html`<p class="empty">No alerts.</p>`;
  return html`<section aria-labelledby="alerts-heading" data-testid="alerts">
<div class="section-head"><h2 id="alerts-heading">Alerts</h2><p>${alerts.length} total · ${fresh} new since the last run</p></div>
<div class="card">${body}</div>
</section>`;
}

const REASON_TITLES: Record<Recommendation['reason'], string> = { expired: 'Expired PoC', idle: 'Idle' };

/** The last day of a window whose end is exclusive. */
function lastDay(window: RecommendedResource['window']): string {
  return addDaysIso(window.end, -1);
}

function resourceRow(resource: RecommendedResource, report: Report): Html {
  const { currency, asOf } = report;
  const where = [resource.region, resource.account].filter((part) => part !== '').join(' · ');
  const window = `${dayLabel(resource.window.start, asOf)} – ${dayLabel(lastDay(resource.window), asOf)}`;
  const priced = !(resource.costSource === 'unknown' && resource.monthlyCost === 0n);
  return html`<tr data-testid="recommended-resource"${resource.holdsData ? html` class="holds-data-row"` : false}>
<th scope="row"><span class="res-type">${resourceTypeLabel(resource.type)}</span><code class="res-id" title="${resource.arn}">${resourceShortId(resource.arn)}</code>${where ? html`<span class="res-where">${where}</span>` : false}</th>
<td class="evidence">${resource.evidence}<small>Measured ${window} (${plural(resource.window.days, 'day')})</small></td>
<td class="nowrap">${resource.idleSince ? html`<time datetime="${resource.idleSince}">${dayLabel(resource.idleSince, asOf)}</time>` : html`<span class="muted">—</span>`}</td>
<td class="num">${priced ? money(resource.monthlyCost, currency) : html`<span class="muted">unknown</span>`}<small>${costSourceLabel(resource.costSource)}</small></td>
<td>${resource.holdsData ? html`<span class="badge holds-data" title="Deleting it loses its data unless a snapshot or backup is kept">Holds data</span>` : html`<span class="muted">—<span class="sr-only"> no data held</span></span>`}</td>
</tr>`;
}

function recommendationCard(
  r: Recommendation,
  index: number,
  report: Report,
  ids: Map<string, string>,
): Html {
  const id = `rec-${index + 1}`;
  const pocId = ids.get(r.poc);
  const poc = pocId ? html`<a href="#${pocId}">${r.poc}</a>` : r.poc;
  const holdsData = r.resources.filter((res) => res.holdsData).length;
  const expires = report.pocs.find((p) => p.poc === r.poc)?.expires;
  const why =
    r.reason === 'expired'
      ? `The PoC ${expires ? `expired on ${dayLabel(expires, report.asOf)}` : 'is past its expiry date'} and these resources still bill.`
      : 'Nothing has used these resources over the idle window.';
  return html`<article class="card rec-card reason-${r.reason}" id="${id}" data-testid="recommendation" data-recommendation-id="${r.id}" data-poc="${r.poc}" aria-labelledby="${id}-title">
<header class="rec-head">
<div class="rec-title"><h3 id="${id}-title">${poc}</h3><span class="badge reason reason-${r.reason}">${REASON_TITLES[r.reason]}</span></div>
<p class="rec-meta">${why} ${plural(r.resources.length, 'resource')}${holdsData ? html`, <strong class="holds-data-note">${countLabel(holdsData)} holding data</strong>` : false} · <span class="rec-id">rec <code title="${r.id}">${shortRecommendationId(r.id)}</code></span></p>
<p class="rec-savings"><span class="num">~${money(r.estimatedMonthlySavings, report.currency)}</span><small>saved per month</small></p>
</header>
<div class="table-scroll"><table class="rec-table"><caption class="sr-only">${r.poc}: resources proposed for teardown</caption><thead><tr><th scope="col" class="c-res">Resource</th><th scope="col">Evidence</th><th scope="col" class="c-idle">Idle since</th><th scope="col" class="num c-cost">Monthly cost</th><th scope="col" class="c-data">Data</th></tr></thead><tbody>${r.resources.map((res) => resourceRow(res, report))}</tbody></table></div>
</article>`;
}

function recommendationsSection(report: Report, ids: Map<string, string>): Html | false {
  const recommendations = report.recommendations;
  if (recommendations.length === 0) return false;
  const savings = money(totalSavings(recommendations), report.currency);
  return html`<section aria-labelledby="recommendations-heading" data-testid="recommendations">
<div class="section-head"><h2 id="recommendations-heading" tabindex="-1">Recommendations</h2><p>${plural(recommendations.length, 'teardown candidate')} · could save ~${savings} a month · nothing is deleted automatically</p></div>
<div class="rec-list">${recommendations.map((r, i) => recommendationCard(r, i, report, ids))}</div>
</section>`;
}

function serviceTable(
  services: readonly ServiceCost[],
  total: Money,
  currency: string,
  caption: string,
): Html {
  if (services.length === 0) return html`<p class="muted">No service costs.</p>`;
  const top = services.slice(0, TOP_SERVICES);
  const rest = services.slice(TOP_SERVICES);
  const max = top.reduce((m, s) => maxMoney(m, s.cost), 0n);
  const row = (name: string, cost: Money) =>
    html`<tr><td class="svc"><span class="svc-name">${name}</span><span class="hbar" aria-hidden="true" style="width:${max > 0n ? Math.max(0, Math.round(moneyRatio(cost, max) * 1000) / 10) : 0}%"></span></td><td class="num">${money(cost, currency)}</td><td class="num muted">${total > 0n ? shareLabel(moneyRatio(cost, total)) : '—'}</td></tr>`;
  const rows = top.map((s) => row(s.service, s.cost));
  if (rest.length) rows.push(row(`${rest.length} more`, sumMoney(rest.map((s) => s.cost))));
  return html`<table class="services"><caption class="sr-only">${caption}</caption><tbody>${rows}</tbody></table>`;
}

function dataTable(days: readonly SeriesDay[], currency: string, caption: string): Html {
  let running = 0n;
  const rows = days.map((d) => {
    running += d.cost;
    return html`<tr><th scope="row"><time datetime="${d.date}">${d.date}</time></th><td class="num">${money(d.cost, currency)}</td><td class="num">${money(running, currency)}</td><td>${d.estimated ? 'estimated' : d.reported ? '' : 'no data'}</td></tr>`;
  });
  return html`<details><summary>Daily figures</summary><div class="table-scroll"><table><caption>${caption}</caption><thead><tr><th scope="col">Day</th><th scope="col" class="num">Cost</th><th scope="col" class="num">Month to date</th><th scope="col">Note</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

function chartLegend(poc: PocReport, over: boolean, hasForecast: boolean): Html {
  const days = poc.daily;
  const items: Html[] = [html`<li class="k-actual">month to date</li>`];
  if (hasForecast) items.push(html`<li class="${over ? 'k-forecast-over' : 'k-forecast'}">forecast</li>`);
  if (poc.budget) items.push(html`<li class="k-budget">budget</li>`, html`<li class="k-pace">even pace</li>`);
  items.push(html`<li class="k-bar">cost per day</li>`);
  if (days.some((d) => d.estimated)) items.push(html`<li class="k-est">estimated</li>`);
  if (days.some((d) => d.cost < 0n)) items.push(html`<li class="k-credit">credit</li>`);
  if (poc.budget?.dailyCap !== undefined) {
    const cap = poc.budget.dailyCap;
    if (days.some((d) => d.cost > cap)) items.push(html`<li class="k-overcap">over daily cap</li>`);
    items.push(html`<li class="k-cap">daily cap</li>`);
  }
  return html`<ul class="chart-legend" aria-hidden="true">${items}</ul>`;
}

function chartDescription(report: Report, poc: PocReport, days: readonly SeriesDay[]): string {
  const { currency, period } = report;
  let spent = `${money(poc.monthToDate, currency)} spent in the first ${days.length} of ${period.monthDays} days`;
  if (poc.budget) {
    spent += ` against a monthly budget of ${money(poc.budget.monthly, currency)} (${percentLabel(usedOf(poc) ?? 0)} used)`;
  }
  const sentences = [`${spent}.`];
  if (poc.forecastBasis.method === 'trailing-average' && period.elapsedDays < period.monthDays) {
    const verdict =
      poc.budget === undefined
        ? ''
        : poc.forecastMonthEnd > poc.budget.monthly
          ? `, ${money(poc.forecastMonthEnd - poc.budget.monthly, currency)} over budget`
          : ', within budget';
    sentences.push(`Forecast ${money(poc.forecastMonthEnd, currency)} at month end${verdict}.`);
  }
  const peak = days.reduce<SeriesDay | undefined>(
    (best, d) => (best === undefined || d.cost > best.cost ? d : best),
    undefined,
  );
  if (peak && peak.cost > 0n)
    sentences.push(`Highest day ${shortDate(peak.date)} at ${money(peak.cost, currency)}.`);
  return sentences.join(' ');
}

function pocCard(report: Report, poc: PocReport, id: string): Html {
  const { currency, period } = report;
  const days = denseDaily(poc.daily, period.start, period.end);
  const used = usedOf(poc);
  const budget = poc.budget;
  const over = budget !== undefined && poc.forecastMonthEnd > budget.monthly;
  const hasForecast =
    poc.forecastBasis.method === 'trailing-average' && period.elapsedDays < period.monthDays;
  const markers: { date: string; label: string }[] = [];
  if (poc.start && poc.start > period.start)
    markers.push({ date: poc.start, label: `started ${shortDate(poc.start)}` });
  if (poc.expires && poc.expires >= period.start) {
    const boundary = daysBetween(period.start, poc.expires) + 1;
    if (boundary > 0 && boundary < period.monthDays) {
      markers.push({
        date: `${period.start.slice(0, 8)}${String(boundary + 1).padStart(2, '0')}`,
        label: `expired ${shortDate(poc.expires)}`,
      });
    }
  }
  const chart = costChart({
    id: `${id}-chart`,
    dataChart: `daily-${poc.poc}`,
    label: `${poc.poc}: cost this month${budget ? ' against budget' : ''}`,
    description: chartDescription(report, poc, days),
    period,
    days,
    currency,
    forecast: hasForecast ? poc.forecastMonthEnd : undefined,
    budget: budget?.monthly,
    dailyCap: budget?.dailyCap,
    markers,
  });

  const forecastNote = !hasForecast
    ? html`<small>${forecastBasisLabel(poc.forecastBasis, currency)}</small>`
    : poc.status === 'expired'
      ? html`<small class="bad">expired: anything it still costs is waste</small>`
      : budget
        ? over
          ? html`<small class="bad">${money(poc.forecastMonthEnd - budget.monthly, currency)} over budget</small>`
          : html`<small>${money(budget.monthly - poc.forecastMonthEnd, currency)} under budget</small>`
        : html`<small>no budget to compare</small>`;
  const figures = [
    html`<div><dt>Spent</dt><dd class="num">${money(poc.monthToDate, currency)}<small>month to date</small></dd></div>`,
    html`<div><dt>Budget</dt><dd class="num">${budget ? money(budget.monthly, currency) : '—'}<small>${budget ? (used !== undefined ? `${percentLabel(used)} used` : '') : 'none set'}</small></dd></div>`,
    html`<div><dt>Forecast</dt><dd class="num">${poc.forecastBasis.method === 'no-data' ? '—' : money(poc.forecastMonthEnd, currency)}${forecastNote}</dd></div>`,
    html`<div><dt>Since yesterday</dt><dd class="num">${signedMoney(poc.changeSinceYesterday, currency)}<small>${days.at(-1) ? `${shortDate(days.at(-1)?.date ?? '')} vs day before` : ''}</small></dd></div>`,
  ];
  if (poc.lifetime) {
    const lt = poc.lifetime;
    const note =
      lt.budget !== undefined
        ? `of ${money(lt.budget, currency)} since ${shortDate(lt.start)}`
        : `since ${lt.start}`;
    figures.push(
      html`<div><dt>Lifetime</dt><dd class="num">${money(lt.cost, currency)}<small>${note}${lt.complete ? '' : ' (partial data)'}</small></dd></div>`,
    );
  }

  if (poc.perUse) {
    const use = poc.perUse;
    const max = unitPrice(use.max, currency);
    figures.push(
      html`<div class="${use.breached ? 'figure-bad' : 'figure'}" data-testid="per-use"><dt>Cost per use</dt><dd class="num">${use.costPerUnit === undefined ? '—' : unitPrice(use.costPerUnit, currency)}<small${use.breached ? html` class="bad"` : false}>${perUnitLabel(use)} · ${use.breached ? `over the ${max} max` : `max ${max}`}</small></dd></div>`,
    );
  }

  const pocAlerts = bySeverity(report.alerts.filter((a) => a.poc === poc.poc));
  const facts: Html[] = [];
  facts.push(
    html`<dt>Owners</dt><dd>${poc.owners.length ? poc.owners.join(', ') : html`<span class="muted">none</span>`}</dd>`,
  );
  if (poc.start || poc.expires)
    facts.push(html`<dt>Runs</dt><dd>${poc.start ?? '?'} → ${poc.expires ?? 'no end date'}</dd>`);
  if (budget && (budget.dailyCap !== undefined || budget.total !== undefined || budget.thresholds.length)) {
    const parts: string[] = [];
    if (budget.dailyCap !== undefined) parts.push(`daily cap ${money(budget.dailyCap, currency)}`);
    if (budget.total !== undefined) parts.push(`lifetime ${money(budget.total, currency)}`);
    if (budget.thresholds.length) parts.push(`alerts at ${budget.thresholds.map((t) => `${t}%`).join(', ')}`);
    facts.push(html`<dt>Limits</dt><dd>${parts.join(' · ')}</dd>`);
  }
  facts.push(html`<dt>Forecast basis</dt><dd>${forecastBasisLabel(poc.forecastBasis, currency)}</dd>`);
  if (poc.perUse) {
    const use = poc.perUse;
    const idle =
      use.costPerUnit === undefined
        ? html` · <span class="muted">no ${perUseUnit(use.signal)}</span>`
        : false;
    facts.push(
      html`<dt>Usage</dt><dd>${perUseBasisLabel(use, currency)}${idle} <span class="muted">(${use.signal})</span></dd>`,
    );
  }
  const recommendations = report.recommendations
    .map((r, i) => ({ r, id: `rec-${i + 1}` }))
    .filter(({ r }) => r.poc === poc.poc);
  if (recommendations.length) {
    facts.push(
      html`<dt>Teardown</dt><dd>${recommendations.map(({ r, id }, i) => html`${i ? ' · ' : ''}<a href="#${id}">${plural(r.resources.length, 'resource')}, ~${money(r.estimatedMonthlySavings, currency)}/mo</a>`)}</dd>`,
    );
  }
  if (poc.accounts.length) facts.push(html`<dt>Accounts</dt><dd class="num">${poc.accounts.join(', ')}</dd>`);
  if (poc.policyFile) facts.push(html`<dt>Policy</dt><dd>${poc.policyFile}</dd>`);
  if (poc.links.length) {
    facts.push(
      html`<dt>Links</dt><dd>${poc.links.map((l, i) => html`${i ? ' · ' : ''}${link(l.title, l.url)}`)}</dd>`,
    );
  }

  return html`<article class="card poc-card tone-${poc.status}" id="${id}" data-testid="poc-card" data-poc="${poc.poc}" aria-labelledby="${id}-name">
<header>
<div class="poc-title"><h3 id="${id}-name">${poc.poc}</h3>${badge(poc.status)}</div>
<p class="reason">${poc.statusReason}</p>
${poc.description ? html`<p class="desc">${poc.description}</p>` : false}
</header>
<dl class="figures">${figures}</dl>
<div class="poc-body">
<div class="poc-chart"><figure>${chart}<figcaption>${chartLegend(poc, over, hasForecast)}</figcaption></figure>
${dataTable(days, currency, `${poc.poc}: cost per day, ${monthLabel(period)}`)}</div>
<div class="poc-side">
<section aria-label="${poc.poc}: services"><h4>Services</h4>${serviceTable(poc.services, poc.monthToDate, currency, `${poc.poc}: cost by service`)}</section>
<section aria-label="${poc.poc}: alerts"><h4>Alerts</h4>${pocAlerts.length ? html`<ul class="mini-alerts">${pocAlerts.map((a) => alertItem(a, new Map(), currency, true))}</ul>` : html`<p class="muted">None.</p>`}</section>
</div>
</div>
<dl class="facts">${facts}</dl>
</article>`;
}

function unattributedSection(report: Report): Html {
  const { currency, period, unattributed, total } = report;
  const days = denseDaily(unattributed.daily, period.start, period.end);
  const share =
    total.monthToDate > 0n ? shareLabel(moneyRatio(unattributed.monthToDate, total.monthToDate)) : '0%';
  const chart = dailyBarsChart({
    id: 'unattributed-chart',
    dataChart: 'unattributed',
    label: 'Unattributed cost per day',
    description: `${money(unattributed.monthToDate, currency)} without a “${report.tagKey}” tag in ${days.length} days, ${share} of all spend.`,
    period,
    days,
    currency,
  });
  return html`<section aria-labelledby="unattributed-heading" data-testid="unattributed">
<div class="section-head"><h2 id="unattributed-heading">Unattributed spend</h2><p>${money(unattributed.monthToDate, currency)} · ${share} of spend carries no “${report.tagKey}” tag</p></div>
<div class="card panel unattributed-grid">
<div><h3 class="sr-only">By service</h3>${serviceTable(unattributed.services, unattributed.monthToDate, currency, 'Unattributed cost by service')}</div>
<div><figure>${chart}<figcaption class="sr-only">Unattributed cost per day</figcaption></figure>${dataTable(days, currency, `Unattributed cost per day, ${monthLabel(period)}`)}</div>
</div>
</section>`;
}

function warningsSection(report: Report): Html | false {
  if (!report.warnings.length) return false;
  return html`<section aria-labelledby="warnings-heading" data-testid="warnings">
<div class="section-head"><h2 id="warnings-heading">Data warnings</h2><p>Things to know before trusting the numbers</p></div>
<div class="card"><ul class="warnings">${report.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message}${w.where ? html` <span class="muted">(${w.where})</span>` : false}${w.partial ? html` <strong class="skipped">input skipped</strong>` : false}</li>`)}</ul></div>
</section>`;
}

function footer(report: Report): Html {
  return html`<footer class="page-footer"><div class="wrap">
<p>Generated <time datetime="${report.generatedAt}">${report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time> by pocketwatch · report schema v${report.schemaVersion}</p>
<p>API calls: <span data-testid="api-calls">${apiCallsLabel(report.apiCalls)}</span> · cost of this run <span class="num" data-testid="api-cost">${apiCostLabel(report.apiCost, report.currency)}</span></p>
<p>Amounts in ${report.currency}, shown rounded to cents; totals are summed from exact figures. Pale bars are estimated figures the provider may still revise.</p>
</div></footer>`;
}

export function renderHtml(report: Report): string {
  const ids = new Map<PocReport, string>(report.pocs.map((poc, i) => [poc, pocId(poc.poc, i)]));
  const idsByName = new Map<string, string>();
  for (const [poc, id] of ids) if (!idsByName.has(poc.poc)) idsByName.set(poc.poc, id);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<meta name="generator" content="pocketwatch">
<title>PoC costs · ${monthLabel(report.period)} · as of ${report.asOf}</title>
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
<a class="skip-link" href="#pocs-heading">Skip to PoC details</a>
${pageHeader(report)}
<main class="wrap">
${report.source.partial ? html`<p class="callout" role="note" data-testid="partial-notice"><strong>Partial data.</strong> Some input was skipped (see <a href="#warnings-heading">data warnings</a>): totals may be low.</p>` : false}
${summaryCards(report)}
${shareSection(report, ids)}
${overviewSection(report, ids)}
${alertsSection(report, idsByName)}
${recommendationsSection(report, idsByName)}
<section aria-labelledby="pocs-heading">
<div class="section-head"><h2 id="pocs-heading" tabindex="-1">PoC details</h2><p>Solid line: cost so far · dashed: forecast to month end · flat line: monthly budget</p></div>
<div class="poc-grid">${report.pocs.map((poc) => pocCard(report, poc, ids.get(poc) ?? 'poc'))}</div>
</section>
${unattributedSection(report)}
${warningsSection(report)}
</main>
${footer(report)}
</body>
</html>
`;
  return page.value;
}
