/**
 * The HTML email digest as a person sees it: `pocketwatch digest --preview --out DIR` on the bundled
 * sample, DIR/email.html opened from disk in headless Chromium. The email's "charts" are table cells
 * (no SVG, no images), so the checks are that those cells are laid out with a size and a colour.
 * Writes a screenshot to test-artifacts/e2e/email.png.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { artifactPath, launchChromium, type PageWatch, watchPage } from './support/browser.js';

const TIMEOUT = 60_000;
/** The bundled sample: 7 PoCs with daily spend, all but ml-feature-store with a monthly budget. */
const SAMPLE_POCS = 7;
const SAMPLE_BUDGETED = 6;

let dir: string;
let url: string;
let headline: string;
let browser: Browser | undefined;
let page: Page;
let watch: PageWatch;

interface Box {
  width: number;
  height: number;
}

async function boxes(locator: Locator): Promise<Box[]> {
  return locator.evaluateAll((elements) =>
    elements.map((element) => {
      const r = element.getBoundingClientRect();
      return { width: r.width, height: r.height };
    }),
  );
}

const hasSize = (b: Box) => b.width > 0 && b.height > 0;

/** A usage bar: a one-row table of cells 8 px high (the spent share, then the remaining track). */
const usageBars = () => page.locator('table:has(> tbody > tr > td[height="8"])');
/** A daily strip: a one-row table of day columns, each titled with its date and amount. */
const dailyStrips = () => page.locator('table:has(> tbody > tr > td[valign="bottom"][title])');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-e2e-email-'));
  const out = join(dir, 'preview');
  const digest = await runCli('digest', '--preview', '--out', out, '--state', join(dir, 'state.json'));
  expect(digest.code, digest.stderr).toBe(0);
  headline = digest.stdout.trim();
  expect(headline).not.toBe('');
  url = pathToFileURL(join(out, 'email.html')).href;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 720, height: 1000 } });
  page = await context.newPage();
  watch = watchPage(page);
  await page.goto(url, { waitUntil: 'load' });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, TIMEOUT);

describe('the HTML email digest in Chromium', { timeout: TIMEOUT }, () => {
  it('shows the headline once, above the figures', async () => {
    // The same text is also the hidden inbox preview line; exactly one copy is visible.
    const visible = page.getByText(headline, { exact: true }).filter({ visible: true });
    expect(await visible.count()).toBe(1);
    const b = await visible.boundingBox();
    expect(b && hasSize(b)).toBe(true);
    const spent = page.getByText('Spent this month', { exact: true }).filter({ visible: true });
    const spentBox = await spent.boundingBox();
    expect(b && spentBox && b.y < spentBox.y).toBe(true);
    expect(await page.getByText('$415.87', { exact: true }).filter({ visible: true }).count()).toBe(1);
    expect(await page.title()).toContain('PoC costs');
  });

  it('draws a budget usage bar for every PoC with a budget', async () => {
    const bars = usageBars();
    expect(await bars.count()).toBe(SAMPLE_BUDGETED);
    const captions = page.getByText('of monthly budget').filter({ visible: true });
    expect(await captions.count()).toBe(SAMPLE_BUDGETED);
    expect(await page.getByText('No monthly budget set').filter({ visible: true }).count()).toBe(1);
    for (const [i, b] of (await boxes(bars)).entries()) {
      expect(hasSize(b), `usage bar ${i}`).toBe(true);
      expect(b.width, `usage bar ${i}`).toBeGreaterThan(100);
    }
    // The filled part of each bar is painted, with a width of its own.
    const fills = bars.locator('td[height="8"]:first-child');
    const painted = await fills.evaluateAll((cells) =>
      cells.map((cell) => {
        const r = cell.getBoundingClientRect();
        return {
          width: r.width,
          height: r.height,
          background: cell.ownerDocument.defaultView.getComputedStyle(cell).backgroundColor,
        };
      }),
    );
    expect(painted).toHaveLength(SAMPLE_BUDGETED);
    for (const fill of painted) {
      expect(fill.width).toBeGreaterThan(0);
      expect(fill.height).toBeGreaterThanOrEqual(7);
      expect(fill.background).not.toBe('rgba(0, 0, 0, 0)');
    }
  });

  it('draws a daily bar strip for every PoC, with visible bars', async () => {
    const strips = dailyStrips();
    expect(await strips.count()).toBe(SAMPLE_POCS);
    expect(
      await page
        .getByText(/^last \d+ days · peak /)
        .filter({ visible: true })
        .count(),
    ).toBe(SAMPLE_POCS);
    for (let i = 0; i < SAMPLE_POCS; i++) {
      const strip = strips.nth(i);
      expect(await strip.isVisible(), `strip ${i}`).toBe(true);
      const b = await strip.boundingBox();
      expect(b && hasSize(b), `strip ${i}`).toBe(true);
      const bars = await boxes(strip.locator('td[valign="bottom"][title] td[height]'));
      expect(bars.length, `strip ${i}: one bar per day`).toBeGreaterThan(0);
      expect(bars.every(hasSize), `strip ${i}: every bar has a box`).toBe(true);
      // Days with spend are drawn taller than the 1 px line of an empty day.
      expect(Math.max(...bars.map((bar) => bar.height)), `strip ${i}: tallest bar`).toBeGreaterThan(10);
    }
  });

  it('has no script and requests nothing but the file itself', async () => {
    // Evaluated in the page through the root element (the project's types have no DOM globals).
    const active = await page.locator(':root').evaluate((root) => {
      const all: { name: string; value: string }[][] = [...root.ownerDocument.querySelectorAll('*')].map(
        (element) => [...element.attributes].map((a) => ({ name: a.name, value: a.value })),
      );
      const attributes = all.flat();
      return {
        scripts: root.ownerDocument.scripts.length,
        handlers: attributes.filter((a) => /^on/i.test(a.name)).map((a) => a.name),
        scriptUrls: attributes
          .filter((a) => /^(href|src|action|formaction)$/i.test(a.name) && /^\s*javascript:/i.test(a.value))
          .map((a) => a.value),
        embeds: root.ownerDocument.querySelectorAll('iframe,object,embed,img,link,svg,video,audio').length,
      };
    });
    expect(active).toEqual({ scripts: 0, handlers: [], scriptUrls: [], embeds: 0 });
    await page.reload({ waitUntil: 'load' });
    expect(watch.requests.every((r) => r === url)).toBe(true);
    expect(watch.external()).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await page.screenshot({ path: artifactPath('email.png'), fullPage: true });
  });
});
