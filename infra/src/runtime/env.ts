import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Site } from '../site.js';

/**
 * The environment the shop's processes get: this process's, overlaid with the root-only secrets file
 * when it exists (the ecosystem gives the file the same precedence, so PM2 and the CLI agree).
 */
export function runtimeEnv(site: Site, processEnv: NodeJS.ProcessEnv): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(processEnv).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const secrets = existsSync(site.paths.secrets) ? parseEnv(readFileSync(site.paths.secrets, 'utf8')) : {};
  return { ...inherited, ...(secrets as Record<string, string>) };
}

/** Throws naming every missing variable and where to set it. */
export function requireEnv(env: Record<string, string>, names: string[], site: Site): void {
  const missing = names.filter((name) => !env[name]);
  if (missing.length === 0) return;
  throw new Error(
    `variable(s) manquante(s) : ${missing.join(', ')}.\n` +
      `  Sur le VPS, elles sont dans ${site.paths.secrets} (site.paths.secrets, écrit par le provisioning) ;\n` +
      '  ailleurs, exportez-les avant la commande (voir .env.example).',
  );
}
