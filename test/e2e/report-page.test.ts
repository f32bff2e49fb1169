/**
 * The HTML report as a person sees it: `pocketwatch run --out DIR` on the bundled sample, opened from
 * disk in headless Chromium. Checks what is rendered (boxes with a size, chart marks inside them), not
 * the markup, and writes screenshots to test-artifacts/e2e/.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { artifactPath, launchChromium, type PageWatch, watchPage } from './support/browser.js';

const TIMEOUT = 60_000;

interface ReportJson {
  pocs: { poc: string; monthToDate: number }[];
  alerts: unknown[];
  recommendations: { poc: string; estimatedMonthlySavings: number }[];
  unattributed: { monthToDate: number };
}

let dir: string;
let url: string;
let report: ReportJson;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;

/** The rendered size of an element; fails when it has none (hidden, or not laid out). */
async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  expect(b, 'element has a layout box').not.toBeNull();
  if (!b) throw new Error('no bounding box');
  return b;
}

/** An element's text, whitespace collapsed (textContent: the case as written, before CSS capitals). */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** How many of the elements have a non-zero rendered box. */
async function visibleMarks(locator: Locator): Promise<number> {
  return locator.evaluateAll(
    (elements) =>
      elements.filter((element) => {
        const r = element.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      }).length,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-e2e-report-'));
  const out = join(dir, 'out');
  const run = await runCli('run', '--out', out, '--state', join(dir, 'state.json'));
  expect(run.code, run.stderr).toBe(0);
  report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ReportJson;
  url = pathToFileURL(join(out, 'index.html')).href;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  watch = watchPage(page);
  await page.goto(url, { waitUntil: 'load' });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, TIMEOUT);

describe('the HTML report in Chromium', { timeout: TIMEOUT }, () => {
  it('shows the summary cards with the month-to-date total and the alert count', async () => {
    const mtd = page.getByTestId('summary-mtd');
    await expect.poll(() => mtd.isVisible()).toBe(true);
    expect(await text(mtd.locator('.value'))).toBe('$415.87');
    expect(await text(mtd.locator('h3'))).toBe('Spent this month');

    expect(report.alerts.length).toBeGreaterThan(0);
    const alerts = page.getByTestId('summary-alerts');
    expect(await alerts.isVisible()).toBe(true);
    expect(await text(alerts.locator('.value'))).toBe(String(report.alerts.length));
    expect(await page.getByTestId('alert').count()).toBe(report.alerts.length);

    for (const id of ['summary-forecast', 'summary-savings']) {
      const card = page.getByTestId(id);
      expect(await card.isVisible(), id).toBe(true);
      const b = await box(card);
      expect(b.width).toBeGreaterThan(100);
    }
  });

  it('draws one daily chart per PoC, each with bars and a cost line', async () => {
    expect(report.pocs).toHaveLength(7);
    expect(await page.locator('svg[data-chart^="daily-"]').count()).toBe(report.pocs.length);
    expect(await page.getByTestId('poc-card').count()).toBe(report.pocs.length);
    for (const { poc } of report.pocs) {
      const chart = page.locator(`svg[data-chart="daily-${poc}"]`);
      expect(await chart.count(), poc).toBe(1);
      await chart.scrollIntoViewIfNeeded();
      expect(await chart.isVisible(), poc).toBe(true);
      const b = await box(chart);
      expect(b.width, poc).toBeGreaterThan(200);
      expect(b.height, poc).toBeGreaterThan(80);
      // A bar for every day with spend, and the month-to-date line over them.
      expect(await visibleMarks(chart.locator('rect.bar')), `${poc}: bars`).toBeGreaterThan(0);
      expect(await visibleMarks(chart.locator('path.actual')), `${poc}: cost line`).toBe(1);
      // The chart is really painted: its line has a stroke colour, not the default none.
      const stroke = await chart
        .locator('path.actual')
        .evaluate((element) => element.ownerDocument.defaultView.getComputedStyle(element).stroke);
      expect(stroke, `${poc}: line stroke`).not.toBe('none');
    }
  });

  it('draws the share-of-spend bar with a legend entry per PoC', async () => {
    const chart = page.locator('svg[data-chart="share"]');
    await chart.scrollIntoViewIfNeeded();
    expect(await chart.isVisible()).toBe(true);
    const b = await box(chart);
    expect(b.width).toBeGreaterThan(300);
    expect(b.height).toBeGreaterThan(10);
    const spending = report.pocs.filter((p) => p.monthToDate > 0);
    const segments = spending.length + (report.unattributed.monthToDate > 0 ? 1 : 0);
    expect(await visibleMarks(chart.locator('g[class^="series-"] > rect'))).toBe(segments);

    const legend = page.getByTestId('share-legend-item');
    expect(await legend.count()).toBe(segments);
    const entries = await legend.locator('.name').allInnerTexts();
    for (const { poc } of spending) expect(entries).toContain(poc);
    for (let i = 0; i < segments; i++) {
      expect(await legend.nth(i).isVisible()).toBe(true);
      expect((await box(legend.nth(i).locator('.swatch'))).width).toBeGreaterThan(0);
    }
  });

  it('shows the teardown recommendation for chatbot-poc with its savings', async () => {
    const recommendation = report.recommendations.find((r) => r.poc === 'chatbot-poc');
    expect(recommendation).toBeDefined();
    const savings = `~$${recommendation?.estimatedMonthlySavings.toFixed(2)}`;
    const card = page.locator('[data-testid="recommendation"][data-poc="chatbot-poc"]');
    expect(await card.count()).toBe(1);
    await card.scrollIntoViewIfNeeded();
    expect(await card.isVisible()).toBe(true);
    expect(await text(card.locator('.rec-savings .num'))).toBe(savings);
    expect(await text(card.locator('h3'))).toBe('chatbot-poc');
    expect(await text(page.getByTestId('summary-savings').locator('.value'))).toContain(savings);
  });

  it('loads nothing but the file itself and logs no errors', async () => {
    // The page was loaded in beforeAll with the listeners attached; reload once more to be sure
    // nothing is fetched lazily after the first paint either.
    await page.reload({ waitUntil: 'load' });
    expect(watch.requests.length).toBeGreaterThan(0);
    expect(watch.requests.every((r) => r === url)).toBe(true);
    expect(watch.external()).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await page.screenshot({ path: artifactPath('report.png'), fullPage: true });
  });

  it('is readable at a phone width, without horizontal scrolling', async () => {
    const phone = await browser?.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    if (!phone) throw new Error('no browser');
    try {
      const mobile = await phone.newPage();
      const mobileWatch = watchPage(mobile);
      await mobile.goto(url, { waitUntil: 'load' });
      // Evaluated in the page through the root element (the project's types have no DOM globals).
      const widths = await mobile.locator(':root').evaluate((root) => ({
        inner: root.ownerDocument.defaultView.innerWidth,
        client: root.clientWidth,
        html: root.scrollWidth,
        body: root.ownerDocument.body.scrollWidth,
      }));
      expect(widths.inner).toBe(375);
      expect(widths.client).toBe(375);
      expect(widths.html, 'page scrolls sideways').toBeLessThanOrEqual(375);
      expect(widths.body, 'body scrolls sideways').toBeLessThanOrEqual(375);

      // The summary cards and the charts fit the screen.
      for (const id of ['summary-mtd', 'summary-forecast', 'summary-alerts', 'summary-savings']) {
        const b = await box(mobile.getByTestId(id));
        expect(b.x, id).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, id).toBeLessThanOrEqual(375);
      }
      for (const chart of await mobile.locator('svg[data-chart]').all()) {
        const b = await box(chart);
        expect(b.width).toBeGreaterThan(0);
        expect(b.x + b.width).toBeLessThanOrEqual(375);
      }
      expect(mobileWatch.consoleErrors).toEqual([]);
      expect(mobileWatch.external()).toEqual([]);
      await mobile.screenshot({ path: artifactPath('report-mobile.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
