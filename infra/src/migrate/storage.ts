import { mkdir, stat, writeFile, rename } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { withClient } from './db.js';

/** Where Supabase Storage is and where the images go. */
export interface StorageCopyOptions {
  /** The legacy database: storage.objects lists the bucket's files. */
  sourceUrl: string;
  /** https://<project>.supabase.co */
  supabaseUrl: string;
  /** The service_role key (reads private buckets too). */
  serviceKey: string;
  bucket: string;
  /** The VPS uploads folder (site.paths.uploads), served by Nginx at /uploads/. */
  uploadsDir: string;
  /** Sub-folder of uploadsDir the catalog's URLs use ('' : the object's own path). */
  to: string;
  concurrency?: number;
  log(line: string): void;
}

/** What the storage copy did. */
export interface StorageCopyReport {
  listed: number;
  downloaded: number;
  /** Already in the uploads folder: not downloaded again. */
  skipped: number;
  failed: { name: string; reason: string }[];
}

/**
 * Copies every object of the bucket (listed from storage.objects) from Supabase Storage's HTTP API
 * into the uploads folder, at the same relative path (what the mapping's `/uploads/` URLs point at).
 * Files already there are skipped, so a rerun only fetches what is missing; a file is written under
 * a temporary name and renamed, so an interrupted copy never leaves half an image.
 */
export async function copyStorage(options: StorageCopyOptions): Promise<StorageCopyReport> {
  const names = await withClient(options.sourceUrl, 'la base source', async (source) => {
    const { rows } = await source.query<{ name: string }>('SELECT name FROM storage.objects WHERE bucket_id = $1 AND name IS NOT NULL ORDER BY name', [options.bucket]);
    return rows.map((row) => row.name);
  });
  const report: StorageCopyReport = { listed: names.length, downloaded: 0, skipped: 0, failed: [] };
  options.log(`storage : ${names.length} fichiers dans le bucket ${options.bucket}`);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const relative = normalize(join(options.to, name));
      if (relative.startsWith('..') || relative.startsWith('/')) {
        report.failed.push({ name, reason: 'chemin hors du dossier des images' });
        continue;
      }
      const path = join(options.uploadsDir, relative);
      if (await stat(path).then((s) => s.isFile()).catch(() => false)) {
        report.skipped += 1;
        continue;
      }
      const url = `${options.supabaseUrl.replace(/\/$/, '')}/storage/v1/object/${encodeURIComponent(options.bucket)}/${name.split('/').map(encodeURIComponent).join('/')}`;
      try {
        const response = await fetch(url, { headers: { authorization: `Bearer ${options.serviceKey}`, apikey: options.serviceKey }, signal: AbortSignal.timeout(30_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = Buffer.from(await response.arrayBuffer());
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.part`, body);
        await rename(`${path}.part`, path);
        report.downloaded += 1;
        if (report.downloaded % 100 === 0) options.log(`storage : ${report.downloaded}/${names.length} téléchargés`);
      } catch (error) {
        report.failed.push({ name, reason: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  options.log(`storage : ${report.downloaded} téléchargés, ${report.skipped} déjà présents, ${report.failed.length} en échec`);
  for (const failure of report.failed.slice(0, 20)) options.log(`  ✗ ${failure.name} : ${failure.reason}`);
  return report;
}
