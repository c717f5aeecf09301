import { createHash } from 'node:crypto';
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

/** What a storefront build depends on: its own sources and the installed packages. */
const WEB_BUILD_INPUTS = ['apps/web', 'package-lock.json'];

/**
 * The commit of the checkout at `app` (`-dirty` with uncommitted changes) and the id of the
 * storefront build these sources and settings give: the same id means the same build, reused.
 */
export async function describeCheckout(app: string, buildEnv: Record<string, string>): Promise<{ commit: string; buildId: string }> {
  const git = async (...args: string[]) => (await capture('git', ['-C', app, ...args])).stdout;
  const head = (await git('rev-parse', '--short=12', 'HEAD')).trim();
  const dirty = (await git('status', '--porcelain')).trim() !== '';
  const hash = createHash('sha256')
    .update(await git('rev-parse', `HEAD:apps/web`))
    .update(await git('rev-parse', 'HEAD:package-lock.json'))
    .update(await git('diff', 'HEAD', '--binary', '--', ...WEB_BUILD_INPUTS));
  // New files are not in the diff: hash their content too.
  for (const file of (await git('ls-files', '--others', '--exclude-standard', '--', ...WEB_BUILD_INPUTS)).split('\n').filter(Boolean)) {
    hash.update(file).update(await readFile(join(app, file)));
  }
  hash.update(JSON.stringify(Object.entries(buildEnv).sort()));
  return { commit: dirty ? `${head}-dirty` : head, buildId: hash.digest('hex').slice(0, 16) };
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
