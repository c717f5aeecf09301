import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { renderAll } from '../render.js';
import type { Site } from '../site.js';
import { CHECKED, type CheckedFiles } from './invariants.js';

/**
 * The files check reads: from a rendered tree `dir` (what `render DIR` wrote, or `/` on the VPS),
 * or rendered in memory from the site when no `dir` is given. The Node servers' keep-alive comes from
 * the repository (apps/api/src/main.ts, apps/web/server.mjs) either way.
 */
export async function checkedFiles(site: Site, dir?: string): Promise<CheckedFiles> {
  const files: CheckedFiles = new Map();
  const rendered = dir ? undefined : new Map(renderAll(site).map((file) => [file.path, file.content]));
  for (const path of Object.values(CHECKED)) {
    if (path === CHECKED.apiMain || path === CHECKED.webServer) {
      files.set(path, await readFile(join(REPO_ROOT, path), 'utf8'));
    } else if (rendered) {
      const content = rendered.get(path);
      if (content !== undefined) files.set(path, content);
    } else {
      const content = await readFile(join(dir as string, path), 'utf8').catch(() => undefined);
      if (content !== undefined) files.set(path, content);
    }
  }
  return files;
}
