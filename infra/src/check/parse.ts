import { parseEnv } from 'node:util';
import { runInNewContext } from 'node:vm';

// Readers for the rendered files' formats. `infra check` reads what is written (possibly edited by
// hand), never the site file's intent, so these parse the files themselves.

/** A size setting in megabytes: PostgreSQL (`2GB`, `512MB`, `8kB`, bare = `unit`) or Redis (`328mb`, bytes). */
export function toMegabytes(value: string, bareUnitKb: number): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?b?)?$/i.exec(value.trim().replace(/^'|'$/g, ''));
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const kb = { '': bareUnitKb, b: 1 / 1024, k: 1, kb: 1, m: 1024, mb: 1024, g: 1024 ** 2, gb: 1024 ** 2, t: 1024 ** 3, tb: 1024 ** 3 }[unit];
  return kb === undefined ? Number.NaN : (n * kb) / 1024;
}

/** postgresql.conf: `name = value`, `#` comments outside quotes, the last setting wins. */
export function parsePostgresConf(content: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const raw of content.split('\n')) {
    const line = raw.replace(/('[^']*')|#.*$/g, (m, quoted: string | undefined) => quoted ?? '').trim();
    const match = /^([a-z_.]+)\s*=?\s*(.+)$/i.exec(line);
    if (match?.[1] && match[2]) settings.set(match[1].toLowerCase(), match[2].trim().replace(/^'(.*)'$/, '$1'));
  }
  return settings;
}

/** An ini file (PgBouncer): `section -> key -> value`, `;`/`#` lines are comments. */
export function parseIni(content: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section?.[1]) {
      current = sections.get(section[1]) ?? new Map();
      sections.set(section[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** A libpq-style `key=value key=value` string, as in PgBouncer's [databases]. */
export function parseConnString(value: string): Map<string, string> {
  return new Map([...value.matchAll(/(\w+)\s*=\s*(\S+)/g)].map((m) => [m[1] as string, m[2] as string]));
}

/** redis.conf: `directive args…`; only `#` lines are comments. The last directive wins. */
export function parseRedisConf(content: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const space = line.search(/\s/);
    if (space > 0) settings.set(line.slice(0, space).toLowerCase(), line.slice(space + 1).trim());
  }
  return settings;
}

/** One PM2 app as the ecosystem file declares it (the fields check reads). */
export interface Pm2App {
  name: string;
  instances?: number | string;
  kill_timeout?: number;
  max_memory_restart?: string;
  args?: string[] | string;
  env?: Record<string, string | undefined>;
}

/**
 * Evaluates the ecosystem file in a sandbox, as PM2 would, except that the VPS's secrets and release
 * files are read as absent: check judges the file, not this machine's state.
 */
export function loadEcosystem(content: string): Pm2App[] {
  const module = { exports: {} as { apps?: Pm2App[] } };
  const fakeFs = { existsSync: () => false, readFileSync: () => '' };
  const require = (name: string) => {
    if (name === 'node:fs' || name === 'fs') return fakeFs;
    if (name === 'node:util' || name === 'util') return { parseEnv };
    throw new Error(`module non autorisé dans l'écosystème : ${name}`);
  };
  // An empty environment: check judges the file, not the shell it runs in.
  runInNewContext(content, { module, exports: module.exports, require, JSON, process: { env: {} } }, { timeout: 1000 });
  return module.exports.apps ?? [];
}

/** The numbers of one `upstream NAME { … }` block of an Nginx file. */
export function parseNginxUpstream(content: string, name: string): { servers: string[]; keepaliveTimeoutSeconds?: number } | undefined {
  const block = new RegExp(`upstream\\s+${name}\\s*\\{([^}]*)\\}`).exec(content)?.[1];
  if (block === undefined) return undefined;
  const code = block.replace(/#.*$/gm, '');
  const servers = [...code.matchAll(/^\s*server\s+([^\s;]+)/gm)].map((m) => m[1] as string);
  const timeout = /keepalive_timeout\s+(\d+)(ms|s|m)?\s*;/.exec(code);
  const factor = { ms: 0.001, s: 1, m: 60 }[timeout?.[2] ?? 's'] ?? 1;
  return { servers, keepaliveTimeoutSeconds: timeout ? Number(timeout[1]) * factor : undefined };
}
