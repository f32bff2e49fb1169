/**
 * Headless Chromium for the end-to-end tests: Debian's `chromium` package driven by playwright-core
 * (which never downloads a browser of its own). CI installs the package in `.ci/run`; a missing
 * browser is an error, never a silent skip.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags known to work on the CI machines (as root, closed network). Playwright itself adds a fresh,
 * empty --user-data-dir for every launch and removes it on close.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.POCKETWATCH_CHROMIUM || DEFAULT_CHROMIUM;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: the browser tests need it. ` +
        "Install Debian's package with `apt-get install -y chromium` (as root; .ci/run does this), " +
        'or point POCKETWATCH_CHROMIUM at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 30_000 });
}

/** Where screenshots go: test-artifacts/e2e/ at the repository root (git-ignored). */
export function artifactPath(name: string): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const dir = join(root, 'test-artifacts', 'e2e');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** What a page did that a self-contained file must not: errors and requests off the local disk. */
export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  /** Every URL requested, in order. */
  requests: string[];
  /** Requests to anything but file:// (and inline data: URLs). */
  external(): string[];
}

/** Attach before navigating, so the first request and the first error are caught too. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = {
    consoleErrors: [],
    pageErrors: [],
    requests: [],
    external: () => watch.requests.filter((url) => !/^(file|data):/.test(url)),
  };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => {
    watch.pageErrors.push(error.message);
  });
  page.on('request', (request) => {
    watch.requests.push(request.url());
  });
  return watch;
}
