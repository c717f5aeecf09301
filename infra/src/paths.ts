import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The site file of this VPS (git-ignored), or the example when there is none yet. */
export const DEFAULT_SITE_FILE = existsSync(fileURLToPath(new URL('../site.json', import.meta.url)))
  ? fileURLToPath(new URL('../site.json', import.meta.url))
  : fileURLToPath(new URL('../site.example.json', import.meta.url));
