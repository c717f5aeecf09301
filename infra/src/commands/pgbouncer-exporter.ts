import { parseArgs } from 'node:util';
import type { Command } from '../cli.js';
import { startPgBouncerExporter } from '../monitoring/pgbouncer-exporter.js';
import { DEFAULT_SITE_FILE } from '../paths.js';
import { loadSite } from '../site.js';

/** `pgbouncer-exporter`: PgBouncer's pools and stats on 127.0.0.1:site.monitoring.exporters.pgbouncer/metrics, until SIGTERM. */
export const pgbouncerExporterCommand: Command = {
  summary: 'sert les métriques de PgBouncer à Prometheus (service girlycrea-pgbouncer-exporter)',
  usage: 'pgbouncer-exporter [--site infra/site.json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { site: { type: 'string', default: DEFAULT_SITE_FILE } } });
    const site = await loadSite(values.site);
    const { pgbouncer, exporters } = site.monitoring;
    const server = await startPgBouncerExporter({ pgbouncer: { host: '127.0.0.1', port: pgbouncer.port, user: pgbouncer.user }, port: exporters.pgbouncer });
    process.stdout.write(`exporteur PgBouncer sur http://127.0.0.1:${exporters.pgbouncer}/metrics (PgBouncer 127.0.0.1:${pgbouncer.port}, utilisateur ${pgbouncer.user})\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  },
};
