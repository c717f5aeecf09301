import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { runFiles } from '../pm2/ecosystem.js';
import type { Site } from '../site.js';
import { capture } from './exec.js';

/**
 * The storefront is built into one of two folders in turn, so a build never touches the one being
 * served and the previous release stays on disk for a rollback. Both are listed in apps/web's
 * tsconfig.json, so `next build` never edits it.
 */
export const WEB_SLOTS = ['.next/blue', '.next/green'] as const;
/** Written in a slot once its build succeeded: the build id it holds. */
const SLOT_MARKER = 'gc-build-id';

/** What `deploy` writes and the ecosystem reads. */
export interface Release {
  /** Git commit (short), `-dirty` when the checkout had uncommitted changes. */
  commit: string;
  /** Hash of the sources and the build-time settings of the storefront. */
  buildId: string;
  /** The storefront build folder (one of WEB_SLOTS), relative to apps/web. */
  webDistDir: string;
  deployedAt: string;
}

/** The commit and build id of the checkout at `app`, for these storefront build settings. */
export async function describeCheckout(app: string, buildEnv: Record<string, string>): Promise<{ commit: string; buildId: string }> {
  const git = async (...args: string[]) => (await capture('git', ['-C', app, ...args])).stdout;
  const head = (await git('rev-parse', '--short=12', 'HEAD')).trim();
  const diff = await git('diff', 'HEAD', '--binary');
  const hash = createHash('sha256').update(head).update(diff).update(JSON.stringify(Object.entries(buildEnv).sort()));
  return { commit: diff ? `${head}-dirty` : head, buildId: hash.digest('hex').slice(0, 16) };
}

/** The release in service, if a deploy ran. */
export async function readRelease(site: Site): Promise<Release | undefined> {
  const text = await readFile(runFiles(site).release, 'utf8').catch(() => undefined);
  return text ? (JSON.parse(text) as Release) : undefined;
}

/** Records the release atomically (the ecosystem may read it at any time). */
export async function writeRelease(site: Site, release: Release): Promise<void> {
  const file = runFiles(site).release;
  await writeFile(`${file}.tmp`, `${JSON.stringify(release, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** The slot already holding `buildId`, if any. */
export async function slotWithBuild(app: string, buildId: string): Promise<string | undefined> {
  for (const slot of WEB_SLOTS) {
    const marker = await readFile(join(app, 'apps/web', slot, SLOT_MARKER), 'utf8').catch(() => '');
    if (marker.trim() === buildId) return slot;
  }
  return undefined;
}

/** The slot to build into: the one not serving now. */
export function freeSlot(serving: string | undefined): string {
  return WEB_SLOTS.find((slot) => slot !== serving) ?? WEB_SLOTS[0];
}

/** Marks a slot's build complete. */
export async function markSlot(app: string, slot: string, buildId: string): Promise<void> {
  await writeFile(join(app, 'apps/web', slot, SLOT_MARKER), `${buildId}\n`);
}

/** Whether a storefront build exists in `slot`. */
export function slotBuilt(app: string, slot: string): boolean {
  return existsSync(join(app, 'apps/web', slot, 'BUILD_ID'));
}
