import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { renderBackup } from './backup/render.js';
import { renderMail } from './mail/render.js';
import { renderEcosystem } from './pm2/ecosystem.js';
import { renderMonitoring } from './monitoring/render.js';
import { renderNginx } from './nginx/site.js';
import { renderPgBouncer } from './pgbouncer/render.js';
import { renderPostgres } from './postgres/render.js';
import { renderSystem } from './provision/system-files.js';
import { renderRedis } from './redis/render.js';
import type { Site } from './site.js';

/** One file of the VPS, as it will be installed: `path` is relative to the render root (`etc/nginx/…`). */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode; default 0644. */
  mode?: number;
  /** `user` or `user:group` owning it on the VPS (group: the user's own); default root. Provisioning applies it. */
  owner?: string;
}

/** Turns the site file into some of the VPS's files. Pure: no I/O, same site → same files. */
export type Renderer = (site: Site) => RenderedFile[];

/** Every server's renderer; each ops area adds its own here. */
export const renderers: Renderer[] = [
  renderEcosystem,
  renderNginx,
  renderPostgres,
  renderPgBouncer,
  renderRedis,
  renderSystem,
  renderBackup,
  renderMonitoring,
  renderMail,
];

/** Renders every file of the VPS; throws if two renderers claim one path. */
export function renderAll(site: Site): RenderedFile[] {
  const files = renderers.flatMap((render) => render(site));
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`deux fichiers rendus au même chemin : ${file.path}`);
    seen.add(file.path);
  }
  return files;
}

/** Finds one rendered file by path; throws naming it when absent. */
export function fileAt(files: RenderedFile[], path: string): RenderedFile {
  const found = files.find((file) => file.path === path);
  if (!found) throw new Error(`fichier non rendu : ${path}`);
  return found;
}

/** Writes rendered files under `dir`, creating folders. */
export async function writeRendered(dir: string, files: RenderedFile[]): Promise<void> {
  for (const file of files) {
    const target = join(dir, normalize(file.path));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    await chmod(target, file.mode ?? 0o644);
  }
}

/** Where a rendered file comes from; JSON files, which cannot carry comments, say it in a field. */
export const RENDERED_NOTE = 'Rendered by `npm run infra -- render` from the site file (infra/site.json); edit that, not this.';

/**
 * The first lines of every rendered file: where it comes from. Values below carry a trailing comment
 * naming the site field (`site.api.port`) or the formula they come from.
 */
export function header(comment: string, what: string): string {
  return [
    `${comment} ${what}`,
    `${comment} ${RENDERED_NOTE}`,
    `${comment} Each value's source is named beside it: site.<field>, or the formula it is derived from.`,
    '',
  ].join('\n');
}
