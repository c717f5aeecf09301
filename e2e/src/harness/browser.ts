import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium (Playwright's and Lighthouse's own browser downloads cannot work here). */
export const CHROMIUM = '/usr/bin/chromium';
/** Debian's chromium, quiet: no first-run UI, no calls home, no QUIC, no sandbox (root in CI). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Debian's wrapper ships Google API keys and --enable-remote-extensions, so despite the flags above
  // Chromium still looks up clients2.google.com and accounts.google.com (seen with strace): it may
  // resolve nothing but the loopback shop.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];

/** French shopper defaults for every context. */
export const CONTEXT: BrowserContextOptions = { locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } };

/** Launches Debian's chromium through playwright-core (Playwright's own browsers cannot be downloaded here). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A browser with a profile on disk: closing and relaunching it is a real browser restart (cookies kept). */
export async function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, ...CONTEXT });
}

/** A fresh profile folder, removed by the returned function. */
export async function tempProfile(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gc-e2e-profile-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A page of a new private context, recording every request that leaves the shop's origin and
 * every script error (uncaught exceptions, React hydration errors; failed HTTP answers are expected).
 */
export async function openShop(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; context: BrowserContext; foreign: string[]; errors: string[] }> {
  const context = await browser.newContext({ ...CONTEXT, baseURL, ...options });
  const foreign: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  return { page, context, foreign, errors };
}
