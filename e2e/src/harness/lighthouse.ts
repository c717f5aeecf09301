import { launch } from 'chrome-launcher';
import lighthouse, { type Result } from 'lighthouse';
import { screenEmulationMetrics, throttling, userAgents } from 'lighthouse/core/config/constants.js';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.js';

/** The Lighthouse categories the shop is held to. */
export type LighthouseCategory = 'performance' | 'accessibility' | 'best-practices' | 'seo';

/** A Chromium that Lighthouse drives over its debugging port. */
export interface LighthouseBrowser {
  port: number;
  close(): Promise<void>;
}

/** One audit that cost points: what a developer needs to find it in the report. */
export interface LostAudit {
  category: LighthouseCategory;
  id: string;
  title: string;
  score: number;
  /** Lighthouse's one-line reading of the measurement, when it has one (e.g. "2.1 s"). */
  displayValue?: string;
  /** The first offending items (URL, element or message), so the cause shows without opening the report. */
  items: string[];
}

// Same quiet Debian chromium as the Playwright journeys: no first-run UI, no calls home, no QUIC,
// no sandbox (root in CI). chrome-launcher adds its own tool defaults (no extensions, no
// background throttling, no translate or optimization-guide fetches).

/** Launches Debian's chromium for Lighthouse in a throwaway profile; `close` kills it and removes the profile. */
export async function launchLighthouseBrowser(): Promise<LighthouseBrowser> {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_ARGS, logLevel: 'silent' });
  return { port: chrome.port, close: async () => chrome.kill() };
}

/**
 * Audits `url` with Lighthouse's mobile preset (Moto G Power screen and user agent, simulated slow
 * 4G and 4× CPU slowdown), as PageSpeed Insights does. Lighthouse's Node API fetches nothing itself
 * (no field data, no update check, no error reporting) and the browser resolves only loopback names.
 */
export async function auditPage(browser: LighthouseBrowser, url: string, categories: LighthouseCategory[]): Promise<Result> {
  const result = await lighthouse(url, {
    port: browser.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: categories,
    // Belongs to no scored category, but lists every request of the page (see foreignRequests).
    onlyAudits: ['network-requests'],
    formFactor: 'mobile',
    screenEmulation: screenEmulationMetrics.mobile,
    emulatedUserAgent: userAgents.mobile,
    throttlingMethod: 'simulate',
    throttling: throttling.mobileSlow4G,
  });
  if (!result) throw new Error(`Lighthouse n'a rien renvoyé pour ${url}`);
  const { lhr } = result;
  // A page that did not load (HTTP error, crash) still gets a report, with a runtime error and null scores.
  if (lhr.runtimeError) throw new Error(`Lighthouse n'a pas pu auditer ${url} : ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  return lhr;
}

/** The score (0–1) of each requested category; a category Lighthouse could not score counts as 0. */
export function categoryScores(lhr: Result): Partial<Record<LighthouseCategory, number>> {
  return Object.fromEntries(Object.entries(lhr.categories).map(([id, category]) => [id, category.score ?? 0]));
}

const SHOWN_ITEMS = 3;

/** A short description of each of the first rows of an audit's table (a URL, an element, a message). */
function describeItems(details: unknown): string[] {
  const items = (details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
  return items.slice(0, SHOWN_ITEMS).flatMap((item) => {
    const node = item.node as { selector?: string; snippet?: string } | undefined;
    const source = item.sourceLocation as { url?: string } | undefined;
    const parts = [item.description, source?.url, item.url, node?.selector ?? node?.snippet].filter((part): part is string => typeof part === 'string' && part !== '');
    return parts.length > 0 ? [parts.join(' — ')] : [];
  });
}

/** The weighted audits of each category that did not get full marks, worst first. */
export function lostAudits(lhr: Result): LostAudit[] {
  const lost: LostAudit[] = [];
  for (const [id, category] of Object.entries(lhr.categories)) {
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
      lost.push({
        category: id as LighthouseCategory,
        id: audit.id,
        title: audit.title,
        score: audit.score,
        ...(audit.displayValue ? { displayValue: audit.displayValue } : {}),
        items: describeItems(audit.details),
      });
    }
  }
  return lost.sort((a, b) => a.score - b.score);
}

/** One line per lost audit, for a readable assertion message. */
export function describeLostAudits(audits: LostAudit[]): string {
  return audits
    .map((a) => [`${a.category} · ${a.id} (${a.score.toFixed(2)}) : ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}`, ...a.items.map((item) => `    ${item}`)].join('\n'))
    .join('\n');
}

/** URLs the audited page requested outside its own origin (the shop must make none). */
export function foreignRequests(lhr: Result): string[] {
  const origin = new URL(lhr.finalDisplayedUrl).origin;
  const items = (lhr.audits['network-requests']?.details as { items?: { url?: string }[] } | undefined)?.items ?? [];
  return items.map((item) => item.url ?? '').filter((url) => url !== '' && !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
}
