import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { fileAt, renderAll, writeRendered } from '../render.js';
import { loadSite, parseSite } from '../site.js';
import { BACKUP_JOBS, PGBACKREST_CONF, POSTGRES_BACKUP_CONF } from './render.js';
import { parseTarget } from './pgbackrest.js';

const run = promisify(execFile);

describe('backup renderers', () => {
  it('archive settings come from the site file: archive_command through pgBackRest, archive_timeout, commit timestamps', async () => {
    const site = await loadSite(DEFAULT_SITE_FILE);
    const conf = fileAt(renderAll(site), POSTGRES_BACKUP_CONF).content;
    expect(conf).toMatch(/^archive_mode = on$/m);
    expect(conf).toContain(`archive_command = 'pgbackrest --config-path=/etc/pgbackrest --stanza=${site.backup.stanza} archive-push %p'`);
    expect(conf).toMatch(new RegExp(`^archive_timeout = ${site.backup.archiveTimeoutSeconds} # site.backup.archiveTimeoutSeconds`, 'm'));
    expect(conf).toMatch(/^track_commit_timestamp = on$/m);
  });

  it('pgbackrest.conf: repo1 on disk with the site\'s retention, repo2 on S3 encrypted only when the site names one, never a secret', async () => {
    const site = await loadSite(DEFAULT_SITE_FILE);
    const file = fileAt(renderAll(site), PGBACKREST_CONF);
    expect(file.mode).toBe(0o640);
    expect(file.content).toContain(`repo1-path=${site.backup.local.path}\n`);
    expect(file.content).toContain(`repo1-retention-full=${site.backup.local.retentionFull}\n`);
    expect(file.content).toContain('repo2-type=s3\n');
    expect(file.content).toContain('repo2-cipher-type=aes-256-cbc\n');
    expect(file.content).toMatch(/^archive-async=y$/m);
    expect(file.content).not.toMatch(/^repo2-(s3-key|s3-key-secret|cipher-pass)=/m);
    // pgBackRest's ini has no trailing comments: every value line is bare.
    expect(file.content.split('\n').filter((line) => /^[a-z0-9-]+=.*#/.test(line))).toEqual([]);

    const { s3: _s3, ...backup } = site.backup;
    const local = parseSite({ ...site, backup });
    expect(fileAt(renderAll(local), PGBACKREST_CONF).content).not.toMatch(/^repo2-/m);
  });

  it('one systemd service and timer per job, scheduled from the site file, that systemd-analyze accepts', async () => {
    const site = await loadSite(DEFAULT_SITE_FILE);
    const files = renderAll(site);
    for (const job of BACKUP_JOBS) {
      expect(fileAt(files, `etc/systemd/system/girlycrea-backup-${job}.timer`).content).toContain(`OnCalendar=${site.backup.schedule[job]}\n`);
      expect(fileAt(files, `etc/systemd/system/girlycrea-backup-${job}.service`).content).toMatch(/^ExecStart=\/usr\/bin\/npm run --silent backup -- /m);
    }
    const dir = await mkdtemp(join(tmpdir(), 'gc-units-'));
    try {
      await writeRendered(dir, files.filter((file) => file.path.startsWith('etc/systemd/')));
      const units = BACKUP_JOBS.flatMap((job) => ['service', 'timer'].map((kind) => join(dir, 'etc/systemd/system', `girlycrea-backup-${job}.${kind}`)));
      const { stderr } = await run('systemd-analyze', ['verify', ...units]);
      expect(stderr.split('\n').filter((line) => /girlycrea-backup/.test(line))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('restore targets need a date, a time and a zone; anything else is refused with an example', () => {
    expect(parseTarget('2026-11-30 14:05+01')).toBe('2026-11-30 14:05:00+01');
    expect(parseTarget('2026-11-30T14:05:07.250Z')).toBe('2026-11-30 14:05:07.250+00');
    expect(() => parseTarget('2026-11-30 14:05')).toThrow(/--to "2026-11-30 14:05:00\+01"/);
    expect(() => parseTarget('hier 14h05')).toThrow(/instant de restauration invalide/);
    expect(() => parseTarget('2026-02-31 10:00+01')).toThrow(/invalide/);
  });
});
