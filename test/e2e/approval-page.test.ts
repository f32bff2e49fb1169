/**
 * The approval page as a person sees it: the endpoint served over HTTP in-process (what `pocketwatch
 * serve` runs) on a temporary state, opened in headless Chromium with and without JavaScript.
 * Screenshots go to test-artifacts/e2e/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApprovalServer, startApprovalServer } from '../../src/approval/approval-http-server.js';
import { resourceShortId } from '../../src/report/format.js';
import type { LocalStateStore } from '../../src/state/local-state-store.js';
import {
  APPROVAL_RING,
  messageLinks,
  recordedState,
  sampleRecommendation,
} from '../support/approval-fixtures.js';
import { artifactPath, launchChromium, type PageWatch, watchPage } from './support/browser.js';

const TIMEOUT = 60_000;
const NAME = 'alice@example.com';

let browser: Browser | undefined;
let server: RunningApprovalServer | undefined;
let store: LocalStateStore;

const first = sampleRecommendation();
const second = sampleRecommendation({ id: 'rec-7b2e0c4d9a11', poc: 'image-tagging', reason: 'expired' });

beforeAll(async () => {
  const recorded = await recordedState(first, () => new Date());
  store = recorded.store;
  await store.recordProposals([second], new Date());
  server = await startApprovalServer({
    port: 0,
    deps: { keyring: APPROVAL_RING, store, usedTokens: store, now: () => new Date() },
  });
  browser = await launchChromium();
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, TIMEOUT);

async function open(options: { javaScriptEnabled: boolean; width: number; height: number }): Promise<{
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
}> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    javaScriptEnabled: options.javaScriptEnabled,
  });
  const page = await context.newPage();
  return { context, page, watch: watchPage(page) };
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Console errors other than the browser noting a 4xx status: CSP violations would show here. */
function policyErrors(watch: PageWatch): string[] {
  return watch.consoleErrors.filter((message) => !/Failed to load resource/.test(message));
}

describe('the approval page in Chromium', { timeout: TIMEOUT }, () => {
  it('shows the PoC and its resources, approves with a name, and a second use says already used', async () => {
    if (!server) throw new Error('no server');
    const links = messageLinks(first, server.url, new Date());
    const { context, page, watch } = await open({ javaScriptEnabled: true, width: 1280, height: 900 });
    try {
      const opened = await page.goto(links.approve, { waitUntil: 'load' });
      expect(opened?.status()).toBe(200);
      expect(await text(page, 'h1')).toBe('Approve the teardown of chatbot-poc?');
      // Styled: the stylesheet passed the CSP (the header bar has its dark background).
      expect(
        await page
          .locator('.bar')
          .evaluate((element) => element.ownerDocument.defaultView.getComputedStyle(element).backgroundColor),
      ).toBe('rgb(15, 23, 38)');
      const rows = page.getByTestId('resource');
      expect(await rows.count()).toBe(first.resources.length);
      for (const [index, resource] of first.resources.entries()) {
        const row = rows.nth(index);
        expect(await row.isVisible()).toBe(true);
        expect(await row.textContent()).toContain(resourceShortId(resource.arn));
        expect(await row.textContent()).toContain(resource.evidence);
      }
      expect(await page.getByRole('button', { name: 'Approve teardown' }).isVisible()).toBe(true);
      // The other choices are folded away until asked for.
      expect(await page.getByRole('button', { name: 'Reject teardown' }).isVisible()).toBe(false);
      expect((await store.getRecommendation(first.id))?.state).toBe('proposed');
      await page.screenshot({ path: artifactPath('approval-confirm.png'), fullPage: true });

      const name = page.locator('form[data-action="approve"]').getByLabel('Your name or email');
      await name.focus();
      const outline = await name.evaluate(
        (element) => element.ownerDocument.defaultView.getComputedStyle(element).outlineStyle,
      );
      expect(outline).toBe('solid');
      // Submitting without a name is stopped by the browser: nothing is sent.
      await page.getByRole('button', { name: 'Approve teardown' }).click();
      expect(
        await name.evaluate(
          (element) => (element as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing,
        ),
      ).toBe(true);
      expect(await text(page, 'h1')).toBe('Approve the teardown of chatbot-poc?');
      expect((await store.getRecommendation(first.id))?.state).toBe('proposed');

      await name.fill(NAME);
      await Promise.all([
        page.waitForURL((url) => url.search === '' || url.search === '?'),
        page.getByRole('button', { name: 'Approve teardown' }).click(),
      ]);
      expect(await text(page, 'h1')).toBe('Approved');
      expect(await text(page, '.lede')).toContain('The teardown will run after a fresh re-check');
      // The page the form posted to carries no token in its address.
      expect(page.url()).not.toContain('token');
      await page.screenshot({ path: artifactPath('approval-approved.png'), fullPage: true });

      const record = await store.getRecommendation(first.id);
      expect(record?.state).toBe('approved');
      expect(record?.audit.at(-1)).toMatchObject({ event: 'approve', actor: NAME, from: 'link' });
      expect(record?.audit.at(-1)?.address).toContain('Chrome');

      const again = await page.goto(links.approve, { waitUntil: 'load' });
      expect(again?.status()).toBe(410);
      expect(await text(page, 'h1')).toBe('This link was already used');
      expect(await page.locator('form').count()).toBe(0);
      await page.screenshot({ path: artifactPath('approval-already-used.png'), fullPage: true });

      const sibling = await page.goto(links.snooze, { waitUntil: 'load' });
      expect(sibling?.status()).toBe(410);
      expect((await store.getRecommendation(first.id))?.version).toBe(2);
      expect(policyErrors(watch)).toEqual([]);
      expect(watch.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works without JavaScript, at phone width: snoozes through a folded form', async () => {
    if (!server) throw new Error('no server');
    const links = messageLinks(second, server.url, new Date());
    const { context, page, watch } = await open({ javaScriptEnabled: false, width: 390, height: 844 });
    try {
      expect((await page.goto(links.approve, { waitUntil: 'load' }))?.status()).toBe(200);
      expect(await text(page, 'h1')).toBe('Approve the teardown of image-tagging?');
      // Nothing overflows sideways at phone width.
      // Evaluated through the root element (the project's types have no DOM globals).
      const overflow = await page.locator(':root').evaluate((root) => root.scrollWidth - root.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await page.getByTestId('resource').count()).toBe(second.resources.length);
      await page.screenshot({ path: artifactPath('approval-confirm-phone.png'), fullPage: true });

      await page.getByText('Snooze instead (ask again later)').click();
      const snooze = page.locator('form[data-action="snooze"]');
      expect(await snooze.getByLabel('Ask again on').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await snooze.getByLabel('Ask again on').fill('2099-01-15');
      await snooze.getByLabel('Your name or email').fill('bob');
      await Promise.all([
        page.waitForURL((url) => !url.search.includes('token')),
        snooze.getByRole('button', { name: 'Snooze' }).click(),
      ]);
      expect(await text(page, 'h1')).toBe('Snoozed until 15 Jan 2099');
      await page.screenshot({ path: artifactPath('approval-snoozed-phone.png'), fullPage: true });
      expect(await store.getRecommendation(second.id)).toMatchObject({
        state: 'snoozed',
        snoozedUntil: '2099-01-15',
      });

      expect((await page.goto(links.reject, { waitUntil: 'load' }))?.status()).toBe(410);
      expect(await text(page, 'h1')).toBe('This link was already used');
      expect(policyErrors(watch)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('approves without JavaScript', async () => {
    if (!server) throw new Error('no server');
    const third = sampleRecommendation({ id: 'rec-3c9d1e2f4a5b', poc: 'search-relevance' });
    await store.recordProposals([third], new Date());
    const links = messageLinks(third, server.url, new Date());
    const { context, page } = await open({ javaScriptEnabled: false, width: 1024, height: 800 });
    try {
      await page.goto(links.approve, { waitUntil: 'load' });
      await page.locator('form[data-action="approve"]').getByLabel('Your name or email').fill('carol');
      await Promise.all([
        page.waitForURL((url) => !url.search.includes('token')),
        page.getByRole('button', { name: 'Approve teardown' }).click(),
      ]);
      expect(await text(page, 'h1')).toBe('Approved');
      expect(await store.getRecommendation(third.id)).toMatchObject({ state: 'approved' });
    } finally {
      await context.close();
    }
  });

  it('shows a plain refusal for a tampered link', async () => {
    if (!server) throw new Error('no server');
    const links = messageLinks(first, server.url, new Date());
    const { context, page } = await open({ javaScriptEnabled: true, width: 1280, height: 700 });
    try {
      const response = await page.goto(`${links.approve.slice(0, -3)}AAA`, { waitUntil: 'load' });
      expect([400, 403]).toContain(response?.status());
      expect(await text(page, 'h1')).toBe('This link is not valid');
      await page.screenshot({ path: artifactPath('approval-invalid.png') });
    } finally {
      await context.close();
    }
  });
});
