/**
 * Hand-built inline SVG charts for the HTML report. No script, no external resources: each chart is
 * an `<svg role="img">` with a title, a description and an aria-label; the page puts a data table
 * next to each one. Colours come from classes styled by the page (see `chartStyles`).
 */
import { daysBetween, type IsoDate } from '../core/calendar.js';
import { formatCurrency, type Money, moneyFromNumber, moneyRatio, moneyToNumber } from '../core/money.js';
import type { Period } from '../core/period.js';
import { linearScale, niceTicks } from './chart-scale.js';
import { cumulative, type SeriesDay } from './daily-series.js';
import { money, moneyCompact, shareLabel, shortDate } from './format.js';
import { type Html, html } from './html.js';

/** Categorical colours for PoCs in the share chart, with a readable text colour on each. */
export const SERIES_PALETTE: readonly { fill: string; ink: string }[] = [
  { fill: '#4e79a7', ink: '#ffffff' },
  { fill: '#f28e2b', ink: '#1f2937' },
  { fill: '#59a14f', ink: '#ffffff' },
  { fill: '#b07aa1', ink: '#ffffff' },
  { fill: '#76b7b2', ink: '#1f2937' },
  { fill: '#edc948', ink: '#1f2937' },
  { fill: '#9c755f', ink: '#ffffff' },
  { fill: '#ff9da7', ink: '#1f2937' },
];
/** Share chart segment for PoCs beyond the palette, grouped. */
export const OTHER_SERIES = { fill: '#bab0ac', ink: '#1f2937' };

/** An axis label: whole units when the ticks are at least one unit apart, cents otherwise. */
function tickLabel(value: number, ticks: readonly number[], currency: string): string {
  if (value === 0) return '0';
  const step = Math.abs((ticks[1] ?? 1) - (ticks[0] ?? 0));
  return formatCurrency(moneyFromNumber(value), currency, step >= 1 ? 0 : 2);
}

/** Coordinates to one decimal: sharp enough, and keeps the markup small. */
function c(value: number): number {
  return Math.round(value * 10) / 10;
}

interface ChartFrame {
  id: string;
  dataChart: string;
  /** Short accessible name (aria-label and <title>). */
  label: string;
  /** What the chart shows, in words (<desc>). */
  description: string;
}

function svg(frame: ChartFrame, width: number, height: number, body: Html, className: string): Html {
  return html`<svg class="chart ${className}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${frame.label}" aria-describedby="${frame.id}-desc" data-chart="${frame.dataChart}" id="${frame.id}" focusable="false"><title>${frame.label}</title><desc id="${frame.id}-desc">${frame.description}</desc>${body}</svg>`;
}

// Geometry of the per-PoC cost chart (viewBox units, roughly CSS pixels at the usual card width).
const W = 660;
const LEFT = 50;
const RIGHT = W - 70;
const MAIN_TOP = 20;
const MAIN_BOTTOM = 166;
const DAILY_TOP = 194;
const DAILY_BOTTOM = 236;
const AXIS_Y = 254;
const H = 262;

/** Horizontal extent of a plot: where day 0 starts and the month ends. */
interface XFrame {
  left: number;
  right: number;
}

const COST_FRAME: XFrame = { left: LEFT, right: RIGHT };

interface DailyPanel {
  frame: XFrame;
  period: Period;
  days: readonly SeriesDay[];
  currency: string;
  dailyCap?: Money;
  top: number;
  bottom: number;
}

function dayX(period: Period, frame: XFrame): (boundary: number) => number {
  return (boundary) => frame.left + (boundary / period.monthDays) * (frame.right - frame.left);
}

/** Bars of cost per day, credits below the zero line, estimated days and days over the cap marked. */
function dailyBars(panel: DailyPanel): Html {
  const { period, days, currency, dailyCap, top, bottom, frame } = panel;
  const { left: LEFT, right: RIGHT } = frame;
  const x = dayX(period, frame);
  const costs = days.map((d) => moneyToNumber(d.cost));
  const cap = dailyCap !== undefined ? moneyToNumber(dailyCap) : undefined;
  const ticks = niceTicks(Math.min(0, ...costs), Math.max(0, ...costs, cap ?? 0), 2);
  const low = ticks[0] ?? 0;
  const high = ticks.at(-1) ?? 1;
  const y = linearScale(low, high, bottom, top);
  const slot = (RIGHT - LEFT) / period.monthDays;
  const gap = Math.min(2, slot * 0.2);
  const bars = days.map((day, i) => {
    const value = costs[i] ?? 0;
    const y0 = y(Math.max(0, value));
    const y1 = y(Math.min(0, value));
    const classes = ['bar'];
    if (value < 0) classes.push('credit');
    else if (dailyCap !== undefined && day.cost > dailyCap) classes.push('over-cap');
    if (day.estimated) classes.push('estimated');
    const note = `${shortDate(day.date)}: ${money(day.cost, currency)}${day.estimated ? ' (estimated)' : ''}${value < 0 ? ' (credit)' : ''}`;
    return html`<rect class="${classes.join(' ')}" x="${c(x(i) + gap)}" y="${c(y0)}" width="${c(Math.max(0.5, slot - 2 * gap))}" height="${c(Math.max(value === 0 ? 0 : 0.75, y1 - y0))}"><title>${note}</title></rect>`;
  });
  const capLine =
    cap !== undefined
      ? html`<line class="cap" x1="${LEFT}" x2="${RIGHT}" y1="${c(y(cap))}" y2="${c(y(cap))}"/><text class="label cap-label" x="${RIGHT + 6}" y="${c(y(cap) + 4)}">cap ${moneyCompact(dailyCap ?? 0n, currency)}</text>`
      : false;
  return html`<g class="daily">
<line class="grid" x1="${LEFT}" x2="${RIGHT}" y1="${c(y(high))}" y2="${c(y(high))}"/>
<text class="tick" x="${LEFT - 6}" y="${c(y(high) + 4)}" text-anchor="end">${tickLabel(high, ticks, currency)}</text>
<text class="tick" x="${LEFT - 6}" y="${c(y(0) + 4)}" text-anchor="end">0</text>
${bars}
<line class="zero" x1="${LEFT}" x2="${RIGHT}" y1="${c(y(0))}" y2="${c(y(0))}"/>
${capLine}
</g>`;
}

function xAxis(period: Period, frame: XFrame, y: number): Html {
  const x = dayX(period, frame);
  const labels: Html[] = [];
  for (let day = 1; day <= period.monthDays; day += 7) {
    const date = `${period.start.slice(0, 8)}${String(day).padStart(2, '0')}`;
    const cx = c((x(day - 1) + x(day)) / 2);
    labels.push(html`<text class="tick" x="${cx}" y="${y}" text-anchor="middle">${shortDate(date)}</text>`);
  }
  return html`<g class="x-axis">${labels}</g>`;
}

export interface CostChartInput extends ChartFrame {
  period: Period;
  /** One entry per reported day, from the period start (see denseDaily). */
  days: readonly SeriesDay[];
  currency: string;
  /** Month-end forecast; no forecast line when absent or when the month is complete. */
  forecast?: Money;
  /** Monthly budget: a horizontal line, and a dotted line for the pace that would spend it exactly. */
  budget?: Money;
  dailyCap?: Money;
  /** Vertical markers at the start of a day (a PoC's start, its expiry). */
  markers?: { date: IsoDate; label: string }[];
}

/**
 * The month at a glance for one PoC: cumulative cost so far (solid), the forecast to month end
 * (dashed, red when it ends above the budget), the budget (horizontal) and its even pace (dotted);
 * below, cost per day as bars against the daily cap.
 */
export function costChart(input: CostChartInput): Html {
  const { period, currency } = input;
  const x = dayX(period, COST_FRAME);
  const elapsed = Math.min(input.days.length, period.monthDays);
  const cum = cumulative(input.days.slice(0, elapsed).map((d) => d.cost));
  const cumN = cum.map(moneyToNumber);
  const mtd = cum.at(-1) ?? 0n;
  const mtdN = moneyToNumber(mtd);
  const showForecast = input.forecast !== undefined && elapsed > 0 && elapsed < period.monthDays;
  const forecastN = input.forecast !== undefined ? moneyToNumber(input.forecast) : mtdN;
  const budgetN = input.budget !== undefined ? moneyToNumber(input.budget) : undefined;
  const values = [
    0,
    ...cumN,
    ...(showForecast ? [forecastN] : []),
    ...(budgetN !== undefined ? [budgetN] : []),
  ];
  const ticks = niceTicks(Math.min(...values), Math.max(...values), 4);
  const low = ticks[0] ?? 0;
  const high = ticks.at(-1) ?? 1;
  const y = linearScale(low, high, MAIN_BOTTOM, MAIN_TOP);
  const over = input.budget !== undefined && showForecast && (input.forecast ?? 0n) > input.budget;

  const grid = ticks.map(
    (tick) =>
      html`<line class="grid" x1="${LEFT}" x2="${RIGHT}" y1="${c(y(tick))}" y2="${c(y(tick))}"/><text class="tick" x="${LEFT - 6}" y="${c(y(tick) + 4)}" text-anchor="end">${tickLabel(tick, ticks, currency)}</text>`,
  );

  const future =
    elapsed < period.monthDays
      ? html`<rect class="future" x="${c(x(elapsed))}" y="${MAIN_TOP - 8}" width="${c(RIGHT - x(elapsed))}" height="${DAILY_BOTTOM - MAIN_TOP + 8}"/><text class="note" x="${RIGHT - 5}" y="${MAIN_BOTTOM - 6}" text-anchor="end">rest of month</text>`
      : false;

  let budgetMarks: Html | false = false;
  if (budgetN !== undefined) {
    const by = c(y(budgetN));
    const labelY = by - MAIN_TOP < 14 ? by + 14 : by - 6;
    budgetMarks = html`<line class="pace" x1="${LEFT}" y1="${c(y(0))}" x2="${RIGHT}" y2="${by}"/><line class="budget" x1="${LEFT}" x2="${RIGHT}" y1="${by}" y2="${by}"/><text class="label budget-label" x="${LEFT + 6}" y="${c(labelY)}">Budget ${moneyCompact(input.budget ?? 0n, currency)}</text>`;
  }

  const points = [`${c(x(0))},${c(y(0))}`, ...cumN.map((v, i) => `${c(x(i + 1))},${c(y(v))}`)];
  const area =
    elapsed > 0
      ? html`<path class="actual-area" d="M${points.join(' L')} L${c(x(elapsed))},${c(y(0))} Z"/>`
      : false;
  const line = elapsed > 0 ? html`<path class="actual" d="M${points.join(' L')}"/>` : false;

  let forecastMarks: Html | false = false;
  if (showForecast) {
    const fy = c(y(forecastN));
    forecastMarks = html`<path class="forecast${over ? ' over' : ''}" d="M${c(x(elapsed))},${c(y(mtdN))} L${c(x(period.monthDays))},${fy}"/><circle class="forecast-end${over ? ' over' : ''}" cx="${c(x(period.monthDays))}" cy="${fy}" r="3"/><text class="label forecast-label${over ? ' over' : ''}" x="${RIGHT + 6}" y="${c(fy + 4)}">${moneyCompact(input.forecast ?? 0n, currency)}</text><text class="note" x="${RIGHT + 6}" y="${c(fy + 16)}">forecast</text>`;
  }

  const now =
    elapsed > 0
      ? html`<circle class="now" cx="${c(x(elapsed))}" cy="${c(y(mtdN))}" r="4"/><text class="label now-label" x="${c(x(elapsed) - 7)}" y="${c(y(mtdN) - 8)}" text-anchor="end">${money(mtd, currency)}</text>`
      : false;

  const markers = (input.markers ?? []).flatMap((marker) => {
    const boundary = daysBetween(period.start, marker.date);
    if (boundary <= 0 || boundary >= period.monthDays) return [];
    const mx = c(x(boundary));
    return [
      html`<line class="marker" x1="${mx}" x2="${mx}" y1="${MAIN_TOP - 8}" y2="${DAILY_BOTTOM}"/><text class="note" x="${mx - 4}" y="${MAIN_BOTTOM - 6}" text-anchor="end">${marker.label}</text>`,
    ];
  });

  const body = html`${future}<g class="main">${grid}${budgetMarks}${area}${line}${forecastMarks}${now}</g>${markers}${dailyBars(
    {
      frame: COST_FRAME,
      period,
      days: input.days.slice(0, elapsed),
      currency,
      dailyCap: input.dailyCap,
      top: DAILY_TOP,
      bottom: DAILY_BOTTOM,
    },
  )}${xAxis(period, COST_FRAME, AXIS_Y)}`;
  return svg(input, W, H, body, 'cost-chart');
}

export interface BarsChartInput extends ChartFrame {
  period: Period;
  days: readonly SeriesDay[];
  currency: string;
}

/** Cost per day as bars only (unattributed spend). */
export function dailyBarsChart(input: BarsChartInput): Html {
  const width = 520;
  const frame: XFrame = { left: 44, right: width - 12 };
  const top = 12;
  const bottom = 112;
  const bars = dailyBars({
    frame,
    period: input.period,
    days: input.days,
    currency: input.currency,
    top,
    bottom,
  });
  return svg(
    input,
    width,
    bottom + 26,
    html`${bars}${xAxis(input.period, frame, bottom + 18)}`,
    'bars-chart',
  );
}

export interface ShareSegment {
  label: string;
  amount: Money;
  /** CSS class giving the segment its colour: `series-<n>`, `series-other` or `series-unattributed`. */
  className: string;
}

export interface ShareChartInput extends ChartFrame {
  segments: readonly ShareSegment[];
  currency: string;
}

/**
 * One horizontal bar split by share of spend. Segments with no positive spend are left out (credits
 * cannot take a share); percentages are printed inside segments wide enough to hold them.
 */
export function shareChart(input: ShareChartInput): Html {
  const width = 1000;
  const height = 44;
  const positive = input.segments.filter((s) => s.amount > 0n);
  const total = positive.reduce((sum, s) => sum + s.amount, 0n);
  let offset = 0;
  const parts = positive.map((segment, i) => {
    const share = moneyRatio(segment.amount, total);
    const segmentWidth = i === positive.length - 1 ? width - offset : share * width;
    const x0 = offset;
    offset += segmentWidth;
    const label =
      segmentWidth >= 54
        ? html`<text class="share-label" x="${c(x0 + segmentWidth / 2)}" y="${height / 2 + 5}" text-anchor="middle">${shareLabel(share)}</text>`
        : false;
    const fill = segment.className === 'series-unattributed' ? `url(#${input.id}-hatch)` : undefined;
    return html`<g class="${segment.className}"><rect x="${c(x0)}" y="0" width="${c(segmentWidth)}" height="${height}"${fill ? html` fill="${fill}"` : false}><title>${segment.label}: ${money(segment.amount, input.currency)} (${shareLabel(share)})</title></rect>${label}</g>`;
  });
  const empty =
    positive.length === 0
      ? html`<rect class="share-empty" x="0" y="0" width="${width}" height="${height}"/><text class="note" x="${width / 2}" y="${height / 2 + 5}" text-anchor="middle">No spend yet</text>`
      : false;
  const body = html`<defs><pattern id="${input.id}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="8" class="hatch-line"/></pattern><clipPath id="${input.id}-clip"><rect width="${width}" height="${height}" rx="8"/></clipPath></defs><g clip-path="url(#${input.id}-clip)">${parts}${empty}</g>`;
  return svg(input, width, height, body, 'share-chart');
}
