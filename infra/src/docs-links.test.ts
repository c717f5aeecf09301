import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths.js';

const SKIPPED = new Set(['node_modules', '.git', '.next', '.data', '.turbo', 'dist', 'screenshots']);

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      if (SKIPPED.has(entry.name)) return [];
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return markdownFiles(path);
      return entry.name.endsWith('.md') ? [path] : [];
    }),
  );
  return nested.flat();
}

/** Where a link or a mentioned `.md` file points, or why it points nowhere in this repository. */
function problem(file: string, target: string): string | null {
  const path = target.split('#')[0]!;
  if (path === '') return null;
  const candidates = [resolve(dirname(file), path), resolve(REPO_ROOT, path)];
  const inside = candidates.filter((candidate) => !relative(REPO_ROOT, candidate).startsWith('..'));
  if (inside.length === 0) return 'hors du dépôt';
  return inside.some((candidate) => existsSync(candidate)) ? null : 'fichier absent du dépôt';
}

describe('the README and the docs', () => {
  it('link only to files inside the repository, and every .md file they name exists in it', async () => {
    const files = await markdownFiles(REPO_ROOT);
    expect(files.map((file) => relative(REPO_ROOT, file))).toEqual(expect.arrayContaining(['README.md', 'ARCHITECTURE.md']));
    const problems: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
      // Names in prose or code spans count too: "see shared/API.md" sends a reader nowhere.
      const mentions = [...text.matchAll(/(?<![\w/.-])((?:\.{1,2}\/)?[\w./-]*\w\.md)\b/g)].map((match) => match[1]!);
      for (const target of [...links, ...mentions]) {
        if (/^(https?:|mailto:)/.test(target)) continue;
        const why = problem(file, target);
        if (why) problems.push(`${relative(REPO_ROOT, file)} → ${target} (${why})`);
      }
    }
    expect(problems).toEqual([]);
  });
});
