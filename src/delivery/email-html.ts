/**
 * The digest as an HTML email (sent through SES), written for what mail clients render:
 *
 * - layout with tables and inline styles only (Gmail and Outlook drop most of <style>);
 * - no <script>, no <svg> (Gmail strips it), no images and no other external resources: the "charts"
 *   are HTML — a budget usage bar per PoC and a 14-day daily-cost strip, both made of table cells;
 * - every user string goes through the escaping `html` template, and the only link is the report URL,
 *   which buildDigest keeps only when it is an absolute http(s) URL.
 *
 * Long lists are capped (EMAIL_HTML_CAPS) with a "… and N more" line pointing to the full report.
 */
import type { Money } from '../core/money.js';
import { maxMoney, moneyRatio } from '../core/money.js';
import type { PocStatus, Recommendation, Severity } from '../core/report.js';
import {
  alertKindLabel,
  costSourceLabel,
  money,
  monthlyCostLabel,
  percentLabel,
  recommendationReasonLabel,
  resourceShortId,
  resourceTypeLabel,
  shareLabel,
  shortDate,
  shortRecommendationId,
  signedMoney,
} from '../report/format.js';
import { type Html, html, trustedHtml } from '../report/html.js';
import {
  type Digest,
  type DigestAlert,
  type DigestDay,
  type DigestPoc,
  forecastPhrase,
  runPhrase,
  savingsPhrase,
} from './digest-model.js';
import { moreLine } from './size-limits.js';

/** Items listed at most; the rest are counted in a "… and N more" line. */
export const EMAIL_HTML_CAPS = {
  pocs: 30,
  alerts: 30,
  recommendations: 15,
  resources: 6,
  services: 5,
} as const;

// ---------------------------------------------------------------- palette (the HTML report's colours)

const C = {
  page: '#f4f5f7',
  surface: '#ffffff',
  border: '#e2e5ea',
  text: '#18202c',
  muted: '#556070',
  ink: '#0f1726',
  inkMuted: '#a9b4c6',
  accent: '#2558d9',
  track: '#e8ebef',
  bar: '#6b93ea',
  barEstimated: '#c3d4f7',
  credit: '#17a35a',
  red: '#b42318',
  redSoft: '#fde7e5',
  redLine: '#d92d20',
  amber: '#93500a',
  amberSoft: '#fdf0cd',
  amberLine: '#e8a317',
  green: '#06703f',
  greenSoft: '#ddf7e8',
  greenLine: '#17a35a',
  violet: '#5b2fc9',
  violetSoft: '#ece8fd',
  slate: '#3f4a5a',
  slateSoft: '#e8ebef',
} as const;

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif';
const MONO = 'font-family:SFMono-Regular,Menlo,Consolas,Liberation Mono,monospace';
/** Constant markup, no user input. */
const TABLE_ATTRIBUTES = trustedHtml('role="presentation" cellpadding="0" cellspacing="0" border="0"');

const STATUS: Record<PocStatus, { label: string; color: string; soft: string }> = {
  'over-budget': { label: 'Over budget', color: C.red, soft: C.redSoft },
  expired: { label: 'Expired', color: C.slate, soft: C.slateSoft },
  warning: { label: 'Warning', color: C.amber, soft: C.amberSoft },
  unbudgeted: { label: 'Unbudgeted', color: C.violet, soft: C.violetSoft },
  ok: { label: 'On track', color: C.green, soft: C.greenSoft },
};

const SEVERITY: Record<Severity, { label: string; color: string; soft: string }> = {
  critical: { label: 'CRITICAL', color: '#ffffff', soft: C.red },
  warning: { label: 'WARNING', color: '#5c3300', soft: '#fbd784' },
  info: { label: 'INFO', color: '#183f8f', soft: '#dbe6fc' },
};

/** A layout table; `style` and `width` are our constants. */
function table(style: string, body: Html | Html[], width = '100%'): Html {
  return html`<table ${TABLE_ATTRIBUTES} width="${width}" style="${style}">${body}</table>`;
}

function pill(label: string, color: string, background: string): Html {
  return html`<span style="display:inline-block;padding:2px 8px;border-radius:10px;background:${background};color:${color};font-size:11px;font-weight:700;letter-spacing:.03em;white-space:nowrap">${label}</span>`;
}

function statusPill(status: PocStatus): Html {
  const s = STATUS[status];
  return pill(s.label, s.color, s.soft);
}

function more(total: number, shown: number, noun: string, nouns: string, digest: Digest): Html | false {
  if (shown >= total) return false;
  const text = moreLine(total - shown, noun, nouns, '');
  const label = text.replace(/: $/, '');
  return html`<p style="margin:12px 0 0;font-size:13px;color:${C.muted}">${label}: ${digest.reportUrl ? html`<a href="${digest.reportUrl}" style="color:${C.accent}">see the full report</a>` : 'see the full report'}</p>`;
}

// ---------------------------------------------------------------- charts made of table cells

/** A horizontal usage bar: the spent share of the budget, full and red when over it. */
function usageBar(used: number): Html {
  const tone = used > 1 ? C.redLine : used >= 0.8 ? C.amberLine : C.greenLine;
  const pct = used >= 1 ? 100 : used <= 0 ? 0 : Math.min(99, Math.max(1, Math.round(used * 100)));
  const cells: Html[] = [];
  if (pct > 0) {
    cells.push(
      html`<td width="${pct}%" height="8" style="height:8px;background:${tone};font-size:0;line-height:0;border-radius:4px 0 0 4px">&nbsp;</td>`,
    );
  }
  if (pct < 100) {
    cells.push(
      html`<td width="${100 - pct}%" height="8" style="height:8px;background:${C.track};font-size:0;line-height:0">&nbsp;</td>`,
    );
  }
  return table(`border-collapse:collapse;border-radius:4px;width:100%`, html`<tr>${cells}</tr>`);
}

const STRIP_HEIGHT = 32;

function dayTitle(day: DigestDay, currency: string): string {
  return `${shortDate(day.date)}: ${money(day.cost, currency)}${day.estimated ? ' (estimated)' : ''}${day.cost < 0n ? ' (credit)' : ''}`;
}

/**
 * Daily cost as vertical bars: one column per day, each a small nested table whose height is the day's
 * share of the highest day. Estimated days are lighter, credits show as a green stub, zero days as a
 * thin grey line; every column has a title with the date and amount.
 */
function dailyStrip(days: readonly DigestDay[], currency: string): Html {
  let peak: Money = 0n;
  for (const d of days) if (d.cost > peak) peak = d.cost;
  const columns = days.map((day) => {
    let height = 1;
    let color: string = C.border;
    if (day.cost < 0n) {
      height = 3;
      color = C.credit;
    } else if (day.cost > 0n && peak > 0n) {
      height = Math.max(2, Math.round(moneyRatio(day.cost, peak) * STRIP_HEIGHT));
      color = day.estimated ? C.barEstimated : C.bar;
    }
    return html`<td valign="bottom" width="10" style="width:10px;padding:0 1px;vertical-align:bottom" title="${dayTitle(day, currency)}">${table(
      'border-collapse:collapse',
      html`<tr><td height="${height}" style="height:${height}px;background:${color};font-size:0;line-height:0;border-radius:2px 2px 0 0">&nbsp;</td></tr>`,
    )}</td>`;
  });
  return table(
    'border-collapse:collapse;margin-left:auto',
    html`<tr style="height:${STRIP_HEIGHT}px">${columns}</tr>`,
    String(days.length * 12),
  );
}

// ---------------------------------------------------------------- sections

function sectionTitle(title: string, aside?: Html | string): Html {
  return html`<tr><td style="padding:24px 24px 8px;${FONT}"><table ${TABLE_ATTRIBUTES} width="100%"><tr><td style="font-size:16px;font-weight:700;color:${C.text}">${title}</td>${aside ? html`<td align="right" style="font-size:13px;color:${C.muted}">${aside}</td>` : false}</tr></table></td></tr>`;
}

function card(body: Html): Html {
  return html`<tr><td style="padding:0 24px;${FONT}">${table(
    `border-collapse:separate;background:${C.surface};border:1px solid ${C.border};border-radius:10px`,
    html`<tr><td style="padding:4px 16px">${body}</td></tr>`,
  )}</td></tr>`;
}

function headerRows(digest: Digest): Html {
  const who = digest.scope.kind === 'team' ? 'Team digest' : html`Digest for ${digest.scope.owner}`;
  const day = `${shortDate(digest.asOf)}, ${digest.asOf.slice(0, 4)}`;
  return html`<tr><td style="background:${C.ink};padding:22px 24px;border-radius:12px 12px 0 0;${FONT}">
<div style="font-size:12px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:${C.inkMuted}">pocketwatch · daily digest</div>
<div style="font-size:24px;font-weight:700;color:#ffffff;margin:6px 0 6px">${digest.scope.kind === 'team' ? 'PoC costs' : 'Your PoC costs'} · ${day}</div>
<div style="font-size:13px;color:#d6dce6">${who} · ${digest.month} · ${digest.periodLabel}</div>
</td></tr>`;
}

function headlineRow(digest: Digest): Html {
  const tone =
    digest.counts.attention > 0
      ? { line: C.redLine, soft: C.redSoft }
      : digest.counts.watch > 0
        ? { line: C.amberLine, soft: C.amberSoft }
        : { line: C.greenLine, soft: C.greenSoft };
  return html`<tr><td style="padding:20px 24px 0;${FONT}">${table(
    'border-collapse:collapse',
    html`<tr><td style="background:${tone.soft};border-left:4px solid ${tone.line};padding:12px 14px;font-size:15px;line-height:1.45;font-weight:600;color:${C.text}">${digest.headline}</td></tr>`,
  )}</td></tr>`;
}

function kpi(label: string, value: string, note: Html | string, accent: string): Html {
  return html`<div style="display:inline-block;vertical-align:top;width:25%;min-width:140px;box-sizing:border-box;padding:0 4px 8px"><table ${TABLE_ATTRIBUTES} width="100%" style="border-collapse:separate;background:${C.surface};border:1px solid ${C.border};border-top:3px solid ${accent};border-radius:8px"><tr><td style="padding:10px 12px;${FONT}"><div style="font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:${C.muted};white-space:nowrap">${label}</div><div style="font-size:20px;font-weight:700;color:${C.text};margin:4px 0 2px;white-space:nowrap">${value}</div><div style="font-size:12px;color:${C.muted};white-space:nowrap">${note}</div></td></tr></table></div>`;
}

function kpiRow(digest: Digest): Html {
  const cur = digest.currency;
  const { counts } = digest;
  const cells = [
    kpi(
      'Spent this month',
      money(digest.totals.monthToDate, cur),
      digest.unattributed
        ? `${shareLabel(digest.unattributed.share)} unattributed`
        : `${counts.pocs} PoC${counts.pocs === 1 ? '' : 's'}`,
      C.accent,
    ),
    kpi(
      'Forecast',
      money(digest.totals.forecastMonthEnd, cur),
      'by month end',
      counts.attention ? C.redLine : C.accent,
    ),
    kpi(
      'New alerts',
      String(counts.newAlerts),
      counts.earlierAlerts ? `${counts.earlierAlerts} earlier still open` : 'none earlier',
      counts.newAlerts ? C.amberLine : '#8792a2',
    ),
    kpi(
      'Could save',
      digest.recommendations.length ? savingsPhrase(digest.savings, cur) : '—',
      digest.recommendations.length
        ? `${digest.recommendations.length} recommendation${digest.recommendations.length === 1 ? '' : 's'}`
        : 'nothing idle found',
      digest.recommendations.length ? C.greenLine : '#8792a2',
    ),
  ];
  const notes = digest.notes.length
    ? html`<tr><td style="padding:10px 24px 0;${FONT};font-size:12px;color:${C.amber}">${digest.notes.map((n, i) => html`${i ? html`<br>` : false}⚠ ${n}`)}</td></tr>`
    : false;
  // Four cards in a row that wrap two by two on a narrow screen (inline blocks, no media query).
  return html`<tr><td style="padding:16px 20px 0;font-size:0">${cells}</td></tr>${notes}`;
}

function pocBlock(poc: DigestPoc, digest: Digest, first: boolean): Html {
  const cur = digest.currency;
  const border = first ? '' : `border-top:1px solid ${C.border};`;
  const spent =
    poc.monthlyBudget !== undefined
      ? html`<div style="font-size:16px;font-weight:700;color:${C.text};white-space:nowrap">${money(poc.monthToDate, cur)}</div><div style="font-size:12px;color:${C.muted};white-space:nowrap">of ${money(poc.monthlyBudget, cur)} budget</div>`
      : html`<div style="font-size:16px;font-weight:700;color:${C.text};white-space:nowrap">${money(poc.monthToDate, cur)}</div><div style="font-size:12px;color:${C.violet};white-space:nowrap">no budget</div>`;
  const changeTone =
    poc.changeSinceYesterday > 0n ? C.red : poc.changeSinceYesterday < 0n ? C.green : C.muted;
  const usage =
    poc.budgetUsed !== undefined
      ? html`${usageBar(poc.budgetUsed)}<div style="font-size:12px;color:${C.muted};margin-top:5px"><strong style="color:${poc.budgetUsed > 1 ? C.red : C.text}">${percentLabel(poc.budgetUsed)}</strong> of monthly budget</div>`
      : html`<div style="font-size:12px;color:${C.muted}">No monthly budget set</div>`;
  const figures = html`<div style="font-size:12px;color:${C.muted};margin-top:3px">${forecastPhrase(poc, cur)} · <span style="color:${changeTone}">${signedMoney(poc.changeSinceYesterday, cur)}</span> vs yesterday</div>`;
  const peak = poc.days.reduce<Money>((max, d) => maxMoney(max, d.cost), 0n);
  const strip = poc.days.length
    ? html`${dailyStrip(poc.days, cur)}<div style="font-size:11px;color:${C.muted};margin-top:4px;white-space:nowrap">last ${poc.days.length} days · peak ${money(peak, cur)}</div>`
    : false;
  const expiry = poc.expires
    ? `${poc.expires < digest.asOf ? 'expired' : 'expires'} ${poc.expires}`
    : undefined;
  const owners =
    digest.scope.kind === 'team'
      ? html`<div style="font-size:12px;color:${C.muted};margin-top:6px">${poc.owners.length ? html`Owners: ${poc.owners.join(', ')}` : html`<span style="color:${C.violet}">No owner</span>`}${expiry ? html` · <span style="white-space:nowrap">${expiry}</span>` : false}</div>`
      : expiry
        ? html`<div style="font-size:12px;color:${C.muted};margin-top:6px">${expiry}</div>`
        : false;
  return html`<tr><td style="padding:14px 0;${border}${FONT}">
${table(
  'border-collapse:collapse',
  html`<tr><td valign="top" style="padding-right:12px">${statusPill(poc.status)}<div style="font-size:15px;font-weight:700;color:${C.text};margin-top:5px;word-break:break-word">${poc.name}</div>${poc.level === 'ok' ? false : html`<div style="font-size:13px;color:${STATUS[poc.status].color};margin-top:2px">${poc.issue}</div>`}</td><td valign="top" align="right" style="text-align:right">${spent}</td></tr>`,
)}
<div style="margin-top:10px;font-size:0"><div style="display:inline-block;vertical-align:bottom;width:62%;min-width:230px;box-sizing:border-box;padding:0 16px 6px 0;font-size:14px">${usage}${figures}</div><div style="display:inline-block;vertical-align:bottom;width:38%;min-width:170px;box-sizing:border-box;text-align:right;font-size:14px">${strip}</div></div>
${owners}
</td></tr>`;
}

function pocSection(digest: Digest): Html | false {
  if (digest.pocs.length === 0) return false;
  const shown = digest.pocs.slice(0, EMAIL_HTML_CAPS.pocs);
  const { counts } = digest;
  return html`${sectionTitle('PoCs by risk', `${counts.attention} need attention · ${counts.watch} to watch`)}${card(
    html`${table(
      'border-collapse:collapse',
      shown.map((p, i) => pocBlock(p, digest, i === 0)),
    )}${more(digest.pocs.length, shown.length, 'PoC', 'PoCs', digest)}`,
  )}`;
}

function alertRow(alert: DigestAlert, first: boolean): Html {
  const s = SEVERITY[alert.severity];
  const border = first ? '' : `border-top:1px solid ${C.border};`;
  return html`<tr><td valign="top" width="84" style="padding:12px 10px 12px 0;${border}">${pill(s.label, s.color, s.soft)}</td><td valign="top" style="padding:12px 0;${border}${FONT}">
<div style="font-size:13px;color:${C.muted}"><strong style="color:${C.text}">${alert.poc}</strong> · ${alertKindLabel(alert.kind)} · ${shortDate(alert.date)}</div>
<div style="font-size:14px;color:${C.text};margin-top:2px;line-height:1.45;word-break:break-word">${alert.message}</div>
</td></tr>`;
}

function alertSection(digest: Digest): Html | false {
  if (digest.alerts.length === 0) return false;
  const shown = digest.alerts.slice(0, EMAIL_HTML_CAPS.alerts);
  return html`${sectionTitle(`New alerts (${digest.alerts.length})`, digest.counts.earlierAlerts ? `${digest.counts.earlierAlerts} earlier still open` : undefined)}${card(
    html`${table(
      'border-collapse:collapse',
      shown.map((a, i) => alertRow(a, i === 0)),
    )}${more(digest.alerts.length, shown.length, 'alert', 'alerts', digest)}`,
  )}`;
}

function recommendationBlock(r: Recommendation, digest: Digest, first: boolean): Html {
  const cur = digest.currency;
  const border = first ? '' : `border-top:1px solid ${C.border};`;
  const reason =
    r.reason === 'expired' ? pill('EXPIRED', C.slate, C.slateSoft) : pill('IDLE', C.accent, '#e6edfc');
  const resources = r.resources.slice(0, EMAIL_HTML_CAPS.resources).map(
    (res) => html`<tr><td valign="top" style="padding:6px 0;border-top:1px solid ${C.border};${FONT}">
<div style="font-size:13px;color:${C.text}">${resourceTypeLabel(res.type)} <span style="${MONO};font-size:12px;color:${C.slate}">${resourceShortId(res.arn)}</span>${res.holdsData ? html` ${pill('HOLDS DATA', C.amber, C.amberSoft)}` : false}</div>
<div style="font-size:12px;color:${C.muted};word-break:break-word">${res.evidence}</div>
</td><td valign="top" align="right" style="padding:6px 0 6px 12px;border-top:1px solid ${C.border};font-size:13px;color:${C.text};white-space:nowrap;${FONT}">${monthlyCostLabel(res, cur)}${res.costSource === 'price-table' ? html`<div style="font-size:11px;color:${C.muted}">${costSourceLabel(res.costSource)}</div>` : false}</td></tr>`,
  );
  const rest = r.resources.length - resources.length;
  return html`<tr><td style="padding:14px 0;${border}${FONT}">
${table(
  'border-collapse:collapse',
  html`<tr><td valign="top">${reason} <strong style="font-size:15px;color:${C.text}">${r.poc}</strong><div style="font-size:12px;color:${C.muted};margin-top:3px">${recommendationReasonLabel(r.reason)} · ${r.resources.length} resource${r.resources.length === 1 ? '' : 's'} · recommendation <span style="${MONO}">${shortRecommendationId(r.id)}</span></div></td><td valign="top" align="right" style="white-space:nowrap"><div style="font-size:16px;font-weight:700;color:${C.green}">${savingsPhrase(r.estimatedMonthlySavings, cur)}</div><div style="font-size:12px;color:${C.muted}">estimated savings</div></td></tr>`,
)}
${table('border-collapse:collapse;margin-top:8px', resources)}
${rest > 0 ? html`<div style="font-size:12px;color:${C.muted};margin-top:4px">and ${rest} more resource${rest === 1 ? '' : 's'}</div>` : false}
</td></tr>`;
}

function recommendationSection(digest: Digest): Html | false {
  if (digest.recommendations.length === 0) return false;
  const shown = digest.recommendations.slice(0, EMAIL_HTML_CAPS.recommendations);
  return html`${sectionTitle('Recommendations', html`could save <strong style="color:${C.green}">${savingsPhrase(digest.savings, digest.currency)}</strong>`)}${card(
    html`${table(
      'border-collapse:collapse',
      shown.map((r, i) => recommendationBlock(r, digest, i === 0)),
    )}${more(digest.recommendations.length, shown.length, 'recommendation', 'recommendations', digest)}<p style="margin:0 0 12px;font-size:12px;color:${C.muted};${FONT}">Nothing is deleted without an approval; back up what holds data first.</p>`,
  )}`;
}

function unattributedSection(digest: Digest): Html | false {
  const u = digest.unattributed;
  if (!u) return false;
  const cur = digest.currency;
  const services = u.services.slice(0, EMAIL_HTML_CAPS.services);
  const rows = services.map((s, i) => {
    const share = u.monthToDate > 0n ? Math.max(0, Math.min(1, moneyRatio(s.cost, u.monthToDate))) : 0;
    const pct = Math.round(share * 100);
    const border = i === 0 ? '' : `border-top:1px solid ${C.border};`;
    return html`<tr><td style="padding:8px 12px 8px 0;${border}font-size:13px;color:${C.text};word-break:break-word;${FONT}">${s.service}</td><td width="120" style="width:120px;padding:8px 0;${border}">${table(
      'border-collapse:collapse',
      html`<tr>${pct > 0 ? html`<td width="${pct}%" height="6" style="height:6px;background:#8a94a6;font-size:0;line-height:0">&nbsp;</td>` : false}${pct < 100 ? html`<td width="${100 - pct}%" height="6" style="height:6px;background:${C.track};font-size:0;line-height:0">&nbsp;</td>` : false}</tr>`,
    )}</td><td align="right" style="padding:8px 0 8px 12px;${border}font-size:13px;color:${C.text};white-space:nowrap;${FONT}">${money(s.cost, cur)}</td></tr>`;
  });
  const rest = u.services.length - services.length;
  const unowned = digest.unownedPocs.slice(0, EMAIL_HTML_CAPS.pocs);
  return html`${sectionTitle('Unattributed spend', html`<strong style="color:${C.text}">${money(u.monthToDate, cur)}</strong> · ${shareLabel(u.share)} of all spend`)}${card(
    html`<p style="margin:10px 0 6px;font-size:13px;color:${C.muted};${FONT}">Spend without a PoC tag, by service.</p>${table('border-collapse:collapse', rows)}${rest > 0 ? html`<p style="margin:6px 0 0;font-size:12px;color:${C.muted};${FONT}">and ${rest} more service${rest === 1 ? '' : 's'}</p>` : false}${unowned.length ? html`<p style="margin:10px 0 12px;font-size:13px;color:${C.violet};${FONT}">PoCs without an owner: ${unowned.join(', ')}${digest.unownedPocs.length > unowned.length ? ` and ${digest.unownedPocs.length - unowned.length} more` : ''}</p>` : html`<div style="height:10px;line-height:10px;font-size:0">&nbsp;</div>`}`,
  )}`;
}

function footerRows(digest: Digest): Html {
  const button = digest.reportUrl
    ? html`<tr><td align="center" style="padding:28px 24px 0">${table(
        'border-collapse:separate',
        html`<tr><td align="center" style="background:${C.accent};border-radius:8px"><a href="${digest.reportUrl}" style="display:inline-block;padding:11px 22px;${FONT};font-size:14px;font-weight:700;color:#ffffff;text-decoration:none">Open the full report</a></td></tr>`,
        'auto',
      )}</td></tr>`
    : false;
  const generated = digest.generatedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return html`${button}<tr><td style="padding:24px 24px 26px;${FONT};font-size:12px;line-height:1.5;color:${C.muted};text-align:center">${runPhrase(digest).replace(/^this/, 'This')} · generated ${generated} by pocketwatch</td></tr>`;
}

export function renderEmailHtml(digest: Digest): string {
  const title = `PoC costs · ${digest.asOf}`;
  const body = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><meta name="supported-color-schemes" content="light"><title>${title}</title></head>
<body style="margin:0;padding:0;background:${C.page};-webkit-text-size-adjust:100%">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:transparent">${digest.headline}</div>
${table(
  `background:${C.page}`,
  html`<tr><td align="center" style="padding:24px 10px">${table(
    `max-width:640px;background:${C.page};border-collapse:separate`,
    html`${headerRows(digest)}<tr><td style="background:${C.surface};border:1px solid ${C.border};border-top:0;border-radius:0 0 12px 12px;padding:0 0 4px">${table(
      'border-collapse:collapse',
      html`${headlineRow(digest)}${kpiRow(digest)}${pocSection(digest)}${alertSection(digest)}${recommendationSection(digest)}${unattributedSection(digest)}${footerRows(digest)}`,
    )}</td></tr>`,
  )}</td></tr>`,
)}
</body></html>
`;
  return body.value;
}
